package app.rounds.field.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.rounds.InspectionId
import app.rounds.OrderId
import app.rounds.ffi.Contact
import app.rounds.ffi.Inspection
import app.rounds.ffi.ItemResult
import app.rounds.ffi.OrderRequest
import app.rounds.ffi.OrderSource
import app.rounds.ffi.Place
import app.rounds.ffi.SourceKind
import app.rounds.ffi.TaskRow
import app.rounds.field.FieldViewModel

/**
 * A patrol checklist made for one hand: pick one of the company's checklists
 * (templates synced from the office), then one item at a time, the three
 * answers as big buttons where the thumb rests. Every answer is recorded in
 * the inspection as it is given, offline; a defect becomes a work order
 * (source: this inspection item, carrying its note) on the spot.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun PatrolScreen(field: FieldViewModel, back: () -> Unit) {
    val staff by field.staff.collectAsState()
    val estate = staff?.estates?.firstOrNull() ?: return
    var checklists by remember { mutableStateOf<List<TaskRow>>(emptyList()) }
    var where by remember { mutableStateOf("") }
    var inspection by remember { mutableStateOf<Inspection?>(null) }
    var describing by remember { mutableStateOf(false) }
    var defect by remember { mutableStateOf("") }

    LaunchedEffect(estate) { field.call({ it.inspections.checklists() }) { checklists = it } }

    val current = inspection
    val items = current?.items.orEmpty()
    val next = items.firstOrNull { it.result == ItemResult.UNCHECKED }
    val id = current?.let { InspectionId(it.id) }
    fun reload() = id?.let { i -> field.call({ it.inspections[i] }) { inspection = it } }

    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(current?.let { "${it.title} ${items.count { i -> i.result != ItemResult.UNCHECKED }}/${items.size}" } ?: "巡查 Patrol") },
                navigationIcon = { TextButton(onClick = back) { Text("结束") } },
            )
        },
        snackbarHost = { MessageHost(field) },
    ) { padding ->
        Column(Modifier.padding(padding).padding(16.dp).fillMaxSize(), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            if (current == null || id == null) {
                OutlinedTextField(where, { where = it }, label = { Text("位置(楼栋/单元/公共区域)") }, singleLine = true, modifier = Modifier.fillMaxWidth())
                if (checklists.isEmpty()) Text("还没有巡查表,请先同步 / no checklists yet: sync first")
                checklists.forEach { template ->
                    Button(
                        onClick = {
                            val place = Place(estateId = estate, commonAreaId = where.trim(), detail = where.trim())
                            field.step({ s -> s.inspections.start(template.id, place).let { s.inspections[it] } }) { inspection = it }
                        },
                        enabled = where.isNotBlank(),
                        modifier = Modifier.fillMaxWidth().height(64.dp),
                    ) { Text(template.title) }
                }
                return@Column
            }
            LinearProgressIndicator(progress = { (items.size - items.count { it.result == ItemResult.UNCHECKED }) / items.size.coerceAtLeast(1).toFloat() }, modifier = Modifier.fillMaxWidth())
            if (next == null) {
                val defects = items.count { it.result == ItemResult.DEFECT }
                Text("巡查完成:${items.count { it.result == ItemResult.OK }} 项正常,$defects 项问题,已转工单 ${items.count { it.followUpId != null }} 张")
                Button(onClick = { field.step({ it.inspections.submit(id) }) { back() } }, modifier = Modifier.fillMaxWidth().height(64.dp)) { Text("提交巡查 Submit") }
                return@Column
            }
            Text(next.titleZh, style = MaterialTheme.typography.headlineMedium)
            Text(next.titleEn, style = MaterialTheme.typography.bodyMedium)
            // Everything below sits at the bottom of the screen, under the thumb.
            Spacer(Modifier.weight(1f))
            if (describing) {
                OutlinedTextField(defect, { defect = it }, label = { Text("问题描述") }, minLines = 2, modifier = Modifier.fillMaxWidth())
                Button(
                    onClick = {
                        val request = OrderRequest(
                            id = OrderId.new().value,
                            source = OrderSource(kind = SourceKind.PATROL_FINDING),
                            category = "general",
                            place = current.place,
                            resident = Contact(),
                            content = "巡查发现:${next.titleZh}。$defect",
                        )
                        field.step({ s ->
                            s.inspections.record(id, next.id, ItemResult.DEFECT, defect)
                            s.inspections.openOrder(id, next.id, request)
                        }) {
                            describing = false
                            defect = ""
                            reload()
                        }
                    },
                    enabled = defect.isNotBlank(),
                    modifier = Modifier.fillMaxWidth().height(72.dp),
                ) { Text("记录问题并转工单") }
                OutlinedButton({ describing = false }, Modifier.fillMaxWidth().height(56.dp)) { Text("取消") }
            } else {
                Button(
                    { field.step({ it.inspections.record(id, next.id, ItemResult.OK) }) { reload() } },
                    Modifier.fillMaxWidth().height(96.dp),
                ) { Text("正常", style = MaterialTheme.typography.headlineSmall) }
                Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
                    OutlinedButton(
                        { field.step({ it.inspections.record(id, next.id, ItemResult.NOT_APPLICABLE) }) { reload() } },
                        Modifier.weight(1f).height(72.dp),
                    ) { Text("不适用") }
                    Button(
                        { describing = true },
                        Modifier.weight(1f).height(72.dp),
                        colors = ButtonDefaults.buttonColors(containerColor = MaterialTheme.colorScheme.error),
                    ) { Text("有问题") }
                }
            }
        }
    }
}

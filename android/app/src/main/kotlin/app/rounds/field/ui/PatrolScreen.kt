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
import app.rounds.ffi.PlaceChoice
import app.rounds.ffi.RectificationDraft
import app.rounds.ffi.SourceKind
import app.rounds.ffi.TaskRow
import app.rounds.field.FieldViewModel
import java.io.File
import java.time.Duration
import java.time.Instant

/**
 * A patrol checklist made for one hand: pick where from the estate's places
 * and one of the company's checklists (both synced from the office), then
 * one item at a time, the three answers as big buttons where the thumb
 * rests. Every answer is recorded in the inspection as it is given, offline.
 * A defect is described and photographed on the spot, then recorded as it
 * is, turned into a work order (source: this item, carrying its note), or
 * into a rectification notice to the party responsible, due in a week.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun PatrolScreen(field: FieldViewModel, back: () -> Unit) {
    val staff by field.staff.collectAsState()
    val estate = staff?.estates?.firstOrNull() ?: return
    var checklists by remember { mutableStateOf<List<TaskRow>>(emptyList()) }
    var places by remember { mutableStateOf<List<PlaceChoice>>(emptyList()) }
    var where by remember { mutableStateOf<PlaceChoice?>(null) }
    var detail by remember { mutableStateOf("") }
    var photos by remember { mutableStateOf<List<File>>(emptyList()) }
    var party by remember { mutableStateOf("") }
    var inspection by remember { mutableStateOf<Inspection?>(null) }
    var describing by remember { mutableStateOf(false) }
    var defect by remember { mutableStateOf("") }

    LaunchedEffect(estate) {
        field.call({ it.inspections.checklists() to it.places(estate) }) { (c, p) ->
            checklists = c
            places = p
        }
    }
    val camera = rememberCamera(field) { photos = photos + it }

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
                Text(where?.let { "位置 Where: ${it.group} ${it.label}" } ?: "请选择位置 / pick where", style = MaterialTheme.typography.titleMedium)
                PlacePicker(places, where, onPick = { where = it }, modifier = Modifier.fillMaxWidth())
                OutlinedTextField(detail, { detail = it }, label = { Text("补充说明(可不填) Detail") }, singleLine = true, modifier = Modifier.fillMaxWidth())
                if (checklists.isEmpty()) Text("还没有巡查表,请先同步 / no checklists yet: sync first")
                checklists.forEach { template ->
                    Button(
                        onClick = {
                            val place = where!!.place.copy(detail = detail.trim())
                            field.step({ s -> s.inspections.start(template.id, place).let { s.inspections[it] } }) { inspection = it }
                        },
                        enabled = where != null,
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
                OutlinedButton(camera, Modifier.fillMaxWidth().height(56.dp)) { Text("拍照 Photo (${photos.size})") }
                /** Records the defect with its note and photos, then [then] on the same item. */
                fun recordDefect(then: (app.rounds.RoundsSession) -> Unit) = field.step({ s ->
                    s.inspections.record(id, next.id, ItemResult.DEFECT, defect)
                    photos.forEach { s.inspections.addPhoto(id, next.id, it) }
                    then(s)
                }) {
                    photos.forEach { it.delete() }
                    describing = false
                    defect = ""
                    party = ""
                    photos = emptyList()
                    reload()
                }
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
                        recordDefect { it.inspections.openOrder(id, next.id, request) }
                    },
                    enabled = defect.isNotBlank(),
                    modifier = Modifier.fillMaxWidth().height(64.dp),
                ) { Text("转工单 Work order") }
                OutlinedTextField(party, { party = it }, label = { Text("整改责任方 Responsible party") }, singleLine = true, modifier = Modifier.fillMaxWidth())
                Button(
                    onClick = {
                        val draft = RectificationDraft(
                            id = null,
                            itemId = next.id,
                            place = current.place,
                            problem = defect,
                            responsibleParty = party,
                            dueAt = Instant.now().plus(Duration.ofDays(7)),
                        )
                        recordDefect { it.inspections.issueRectification(id, draft) }
                    },
                    enabled = defect.isNotBlank() && party.isNotBlank(),
                    modifier = Modifier.fillMaxWidth().height(64.dp),
                ) { Text("发整改通知 Rectification notice") }
                OutlinedButton({ recordDefect {} }, Modifier.fillMaxWidth().height(56.dp), enabled = defect.isNotBlank()) { Text("仅记录 Record only") }
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

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
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.rounds.OrderId
import app.rounds.ffi.Contact
import app.rounds.ffi.OrderRequest
import app.rounds.ffi.OrderSource
import app.rounds.ffi.Place
import app.rounds.ffi.SourceKind
import app.rounds.field.FieldViewModel

/**
 * The building patrol's items (楼宇巡查表). Checklists will come from the
 * company's templates once the inspections work merges; until then the app
 * carries this one.
 */
private val buildingPatrol = listOf(
    "楼道照明" to "stairwell_light",
    "消防栓与灭火器" to "fire_equipment",
    "安全出口与疏散通道" to "fire_exit",
    "电梯运行" to "lift",
    "单元门与门禁" to "door_lock",
    "墙面与天花(渗水、脱落)" to "wall_leak",
    "公共排水" to "drain_blocked",
    "楼道卫生与堆放物" to "cleaning",
)

private enum class Mark { OK, DEFECT, NOT_APPLICABLE }

/**
 * A patrol checklist made for one hand: one item at a time, the three answers
 * as big buttons where the thumb rests. A defect becomes a work order
 * (source: patrol finding) on the spot, so it is never only a tick on paper.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun PatrolScreen(field: FieldViewModel, back: () -> Unit) {
    val staff by field.staff.collectAsState()
    val estate = staff?.estates?.firstOrNull() ?: return
    var where by remember { mutableStateOf("") }
    val marks = remember { mutableStateListOf<Mark>() }
    val orders = remember { mutableStateListOf<OrderId>() }
    var describing by remember { mutableStateOf(false) }
    var defect by remember { mutableStateOf("") }
    val index = marks.size

    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text("楼宇巡查 ${minOf(index + 1, buildingPatrol.size)}/${buildingPatrol.size}") },
                navigationIcon = { TextButton(onClick = back) { Text("结束") } },
            )
        },
        snackbarHost = { MessageHost(field) },
    ) { padding ->
        Column(Modifier.padding(padding).padding(16.dp).fillMaxSize(), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            LinearProgressIndicator(progress = { index / buildingPatrol.size.toFloat() }, modifier = Modifier.fillMaxWidth())
            OutlinedTextField(where, { where = it }, label = { Text("位置(楼栋/单元/公共区域)") }, singleLine = true, modifier = Modifier.fillMaxWidth())
            if (index >= buildingPatrol.size) {
                Text("巡查完成:${marks.count { it == Mark.OK }} 项正常,${marks.count { it == Mark.DEFECT }} 项问题,已转工单 ${orders.size} 张")
                Button(onClick = back, modifier = Modifier.fillMaxWidth().height(64.dp)) { Text("返回今日任务") }
                return@Column
            }
            val (item, category) = buildingPatrol[index]
            Text(item, style = MaterialTheme.typography.headlineMedium)
            // Everything below sits at the bottom of the screen, under the thumb.
            Spacer(Modifier.weight(1f))
            if (describing) {
                OutlinedTextField(defect, { defect = it }, label = { Text("问题描述") }, minLines = 2, modifier = Modifier.fillMaxWidth())
                Button(
                    onClick = {
                        val request = OrderRequest(
                            id = OrderId.new().value,
                            source = OrderSource(kind = SourceKind.PATROL_FINDING, itemId = category),
                            category = category,
                            place = Place(estateId = estate, commonAreaId = where.trim(), detail = item),
                            resident = Contact(),
                            content = "巡查发现:$item。$defect",
                        )
                        field.step({ it.orders.register(request) }) { id ->
                            orders += id
                            marks += Mark.DEFECT
                            describing = false
                            defect = ""
                        }
                    },
                    enabled = defect.isNotBlank() && where.isNotBlank(),
                    modifier = Modifier.fillMaxWidth().height(72.dp),
                ) { Text("转维修工单") }
                OutlinedButton({ describing = false }, Modifier.fillMaxWidth().height(56.dp)) { Text("取消") }
            } else {
                Button(
                    { marks += Mark.OK },
                    Modifier.fillMaxWidth().height(96.dp),
                ) { Text("正常", style = MaterialTheme.typography.headlineSmall) }
                Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
                    OutlinedButton({ marks += Mark.NOT_APPLICABLE }, Modifier.weight(1f).height(72.dp)) { Text("不适用") }
                    Button(
                        { describing = true },
                        Modifier.weight(1f).height(72.dp),
                        colors = ButtonDefaults.buttonColors(containerColor = MaterialTheme.colorScheme.error),
                    ) { Text("有问题") }
                }
                if (index > 0) TextButton({ marks.removeAt(marks.lastIndex) }) { Text("上一项") }
            }
        }
    }
}

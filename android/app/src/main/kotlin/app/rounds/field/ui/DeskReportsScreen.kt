package app.rounds.field.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.foundation.layout.Row
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.rounds.ffi.DeskReportDue
import app.rounds.field.FieldViewModel

/**
 * The matters the front desk passed to this person's department, soonest
 * due first, the overdue ones in red; a status report is written here and
 * the matter leaves the list (and, after the sync, the desk's).
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun DeskReportsScreen(field: FieldViewModel, back: () -> Unit) {
    var due by remember { mutableStateOf<List<DeskReportDue>>(emptyList()) }
    val reload = { field.call({ it.deskReports.due() }) { due = it } }
    LaunchedEffect(Unit) { reload() }

    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text("前台转交 · 待通报 ${due.size}") },
                navigationIcon = { TextButton(onClick = back) { Text("返回") } },
            )
        },
        snackbarHost = { MessageHost(field) },
    ) { padding ->
        Column(
            Modifier.padding(padding).padding(16.dp).verticalScroll(rememberScrollState()),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            if (due.isEmpty()) Text("没有待通报事项 Nothing waiting on your report")
            due.forEach { d ->
                DueCard(d) { note, finished ->
                    field.step({ it.deskReports.report(d.logId, d.entry, note, finished) }) { reload() }
                }
            }
        }
    }
}

@Composable
private fun DueCard(d: DeskReportDue, onReport: (String, Boolean) -> Unit) {
    var note by remember(d.entry) { mutableStateOf("") }
    var finished by remember(d.entry) { mutableStateOf(false) }
    Text(d.summary, style = MaterialTheme.typography.titleSmall)
    Text(
        "${d.departmentLabel.zh} · 通报期限 ${dueFormat.format(d.dueAt)}" + if (d.overdue) " · 已逾期" else "",
        color = if (d.overdue) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface,
    )
    OutlinedTextField(note, { note = it }, label = { Text("处理情况") }, minLines = 2, modifier = Modifier.fillMaxWidth())
    Row { Checkbox(finished, { finished = it }); Text("已处理完毕 Finished") }
    Button({ onReport(note, finished) }, Modifier.fillMaxWidth(), enabled = note.isNotBlank()) { Text("通报前台") }
    HorizontalDivider()
}

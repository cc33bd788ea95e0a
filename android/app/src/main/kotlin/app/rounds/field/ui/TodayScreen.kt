package app.rounds.field.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.ExtendedFloatingActionButton
import androidx.compose.material3.ListItem
import androidx.compose.material3.ListItemDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.SnackbarHost
import androidx.compose.material3.SnackbarHostState
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.rounds.ffi.recordKindLabel
import app.rounds.ffi.RulesInForce
import app.rounds.ffi.TaskRow
import app.rounds.field.FieldViewModel
import java.time.ZoneId
import java.time.format.DateTimeFormatter

/** Deadlines as the field reads them, in the company's time zone (the rules in force). */
internal fun dueFormat(rules: RulesInForce?): DateTimeFormatter =
    DateTimeFormatter.ofPattern("M月d日 HH:mm").withZone(rules?.let { ZoneId.of(it.timeZone) } ?: ZoneId.systemDefault())

/** Today's work: my open orders and revisits, soonest due first, overdue in red. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun TodayScreen(field: FieldViewModel, openTask: (TaskRow) -> Unit, startPatrol: () -> Unit) {
    val tasks by field.tasks.collectAsState()
    val staff by field.staff.collectAsState()
    val rules by field.rules.collectAsState()
    LaunchedEffect(Unit) { field.refresh() }
    Scaffold(
        topBar = { TopAppBar(title = { Text("今日任务 · ${staff?.name ?: ""}") }) },
        snackbarHost = { MessageHost(field) },
        floatingActionButton = {
            ExtendedFloatingActionButton(onClick = startPatrol) { Text("开始巡查") }
        },
    ) { padding ->
        Column(Modifier.padding(padding).fillMaxSize()) {
            SyncIndicator(field, Modifier.fillMaxWidth())
            // The calendar this phone counts deadlines by is behind: say so.
            rules?.calendar?.behindZh?.let {
                Text(it, Modifier.padding(horizontal = 16.dp, vertical = 8.dp), color = MaterialTheme.colorScheme.error)
            }
            if (tasks.isEmpty()) {
                Text("今天没有待办任务", Modifier.padding(24.dp), style = MaterialTheme.typography.bodyLarge)
            }
            LazyColumn(contentPadding = PaddingValues(bottom = 88.dp)) {
                val due = dueFormat(rules)
                items(tasks, key = { it.id }) { row -> TaskLine(row, due, onClick = { openTask(row) }) }
            }
        }
    }
}

@Composable
private fun TaskLine(row: TaskRow, dueFormat: DateTimeFormatter, onClick: () -> Unit) {
    val kind = recordKindLabel(row.kind).zh
    ListItem(
        modifier = Modifier.clickable(onClick = onClick),
        overlineContent = {
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Text(kind)
                if (row.emergency) Text("紧急", color = MaterialTheme.colorScheme.error)
                if (row.conflicted) Text("有冲突", color = MaterialTheme.colorScheme.error)
            }
        },
        headlineContent = { Text(row.title.ifBlank { row.category ?: row.id }) },
        supportingContent = {
            Column {
                Text(listOfNotNull(row.unitId, row.dueAt?.let { "期限 " + dueFormat.format(it) }).joinToString(" · "))
                // Refused at the desk or returned: the reason, so the work is redone right.
                row.statusReason?.let { Text("理由 Reason: $it", color = MaterialTheme.colorScheme.error) }
            }
        },
        colors = if (row.overdue) {
            ListItemDefaults.colors(containerColor = MaterialTheme.colorScheme.errorContainer)
        } else {
            ListItemDefaults.colors()
        },
    )
}

/** Shows the core's refusals in the phone's language. */
@Composable
fun MessageHost(field: FieldViewModel) {
    val host = remember { SnackbarHostState() }
    val message by field.message.collectAsState()
    LaunchedEffect(message) {
        message?.let {
            host.showSnackbar(it)
            field.dismissMessage()
        }
    }
    SnackbarHost(host)
}

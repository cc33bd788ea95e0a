package app.rounds.field.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.HorizontalDivider
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
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import app.rounds.RectificationId
import app.rounds.RoundsSession
import app.rounds.ffi.Rectification
import app.rounds.ffi.RectificationStatus
import app.rounds.ffi.Reinspection
import app.rounds.ffi.newRecordId
import app.rounds.field.FieldViewModel
import java.io.File
import java.time.Duration
import java.time.Instant

/**
 * A rectification notice (整改通知单) on the inspector's phone: the party's
 * report that the work is done (a note and photos), then the re-inspection
 * (复查) on site that passes it, sends it round again by a new deadline with
 * the reason, or closes it with penalty points. Which form shows follows the
 * status; whether the step is allowed is the core's call.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun RectificationScreen(field: FieldViewModel, id: RectificationId, back: () -> Unit) {
    var notice by remember { mutableStateOf<Rectification?>(null) }
    val rules by field.rules.collectAsState()
    val reload = { field.call({ it.rectifications[id] }) { notice = it } }
    fun step(op: (RoundsSession) -> Unit) = field.step(op) { reload() }
    LaunchedEffect(id) { reload() }

    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(notice?.let { "整改 · ${it.statusLabel.zh}" } ?: "整改通知") },
                navigationIcon = { TextButton(onClick = back) { Text("返回") } },
            )
        },
        snackbarHost = { MessageHost(field) },
    ) { padding ->
        val n = notice ?: return@Scaffold
        Column(
            Modifier.padding(padding).padding(16.dp).verticalScroll(rememberScrollState()),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            Text(n.problem, style = MaterialTheme.typography.titleMedium)
            Text("责任方 ${n.responsibleParty} · 期限 ${dueFormat(rules).format(n.dueAt)}")
            if (n.secondRounds > 0u) Text("已二次整改 ${n.secondRounds} 次", color = MaterialTheme.colorScheme.error)
            Text("整改报告 ${n.reports} 次")
            HorizontalDivider()
            when (n.status) {
                RectificationStatus.AWAITING_RECTIFICATION, RectificationStatus.SECOND_RECTIFICATION ->
                    ReportForm(field) { note, photos -> step { s -> s.rectifications.reportDone(id, note, photos, reportId = newRecordId()) } }
                RectificationStatus.AWAITING_REINSPECTION -> ReinspectForm { verdict -> step { it.rectifications.reinspect(id, verdict) } }
                RectificationStatus.RECTIFIED -> Text("复查合格 Passed")
                RectificationStatus.CLOSED_WITH_PENALTY -> Text("已扣分 ${n.penaltyPoints} 分", color = MaterialTheme.colorScheme.error)
                null -> Text("复查结论有冲突,需主管处理 / conflicting re-inspections: a supervisor decides", color = MaterialTheme.colorScheme.error)
            }
        }
    }
}

@Composable
private fun ReportForm(field: FieldViewModel, onReport: (String, List<ByteArray>) -> Unit) {
    var note by remember { mutableStateOf("") }
    var photos by remember { mutableStateOf<List<File>>(emptyList()) }
    val camera = rememberCamera(field) { photos = photos + it }
    Text("责任方已整改 The party reports it done", style = MaterialTheme.typography.titleSmall)
    OutlinedTextField(note, { note = it }, label = { Text("整改情况") }, minLines = 2, modifier = Modifier.fillMaxWidth())
    OutlinedButton(camera, Modifier.fillMaxWidth()) { Text("拍照 Photo (${photos.size})") }
    Button(
        onClick = {
            onReport(note, photos.map { it.readBytes() })
            photos.forEach { it.delete() }
            photos = emptyList()
            note = ""
        },
        enabled = note.isNotBlank(),
        modifier = Modifier.fillMaxWidth(),
    ) { Text("提交整改报告") }
}

@Composable
private fun ReinspectForm(onVerdict: (Reinspection) -> Unit) {
    var note by remember { mutableStateOf("") }
    var days by remember { mutableStateOf("3") }
    var points by remember { mutableStateOf("") }
    Text("复查 Re-inspection", style = MaterialTheme.typography.titleSmall)
    OutlinedTextField(note, { note = it }, label = { Text("复查意见(再次整改或扣分须写明理由)") }, minLines = 2, modifier = Modifier.fillMaxWidth())
    Button({ onVerdict(Reinspection.Passed(note = note)) }, Modifier.fillMaxWidth()) { Text("合格 Passed") }
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedTextField(days, { days = it }, label = { Text("再整改天数") }, singleLine = true, modifier = Modifier.weight(1f),
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number))
        OutlinedButton(
            onClick = { onVerdict(Reinspection.Again(reason = note, dueAt = Instant.now().plus(Duration.ofDays(days.toLong())))) },
            enabled = days.toLongOrNull()?.let { it > 0 } == true,
            modifier = Modifier.weight(1f),
        ) { Text("再次整改") }
    }
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedTextField(points, { points = it }, label = { Text("扣分") }, singleLine = true, modifier = Modifier.weight(1f),
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number))
        Button(
            onClick = { onVerdict(Reinspection.Penalty(points = points.toLong(), reason = note)) },
            enabled = points.toLongOrNull()?.let { it > 0 } == true,
            colors = ButtonDefaults.buttonColors(containerColor = MaterialTheme.colorScheme.error),
            modifier = Modifier.weight(1f),
        ) { Text("扣分结案") }
    }
}

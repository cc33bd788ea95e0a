package app.rounds.field.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.rounds.RevisitId
import app.rounds.ffi.Revisit
import app.rounds.ffi.RevisitAnswer
import app.rounds.ffi.RevisitReason
import app.rounds.ffi.RevisitStatus
import app.rounds.ffi.Satisfaction
import app.rounds.ffi.VisitMethod
import app.rounds.field.FieldViewModel

private val ratings = listOf(
    Satisfaction.VERY_SATISFIED to "非常满意",
    Satisfaction.SATISFIED to "满意",
    Satisfaction.NEUTRAL to "一般",
    Satisfaction.DISSATISFIED to "不满意",
    Satisfaction.VERY_DISSATISFIED to "非常不满意",
)

/**
 * The revisit form (回访 / 家访): by phone or in person, the resident's
 * rating and words, and in person their signature. The core says what is
 * missing (comments when not satisfied, the signature in person).
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun RevisitScreen(field: FieldViewModel, id: RevisitId, back: () -> Unit) {
    var revisit by remember { mutableStateOf<Revisit?>(null) }
    LaunchedEffect(id) { field.call({ it.revisits[id] }) { revisit = it } }
    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(if (revisit?.reason == RevisitReason.HOME_VISIT) "家访" else "回访") },
                navigationIcon = { TextButton(onClick = back) { Text("返回") } },
            )
        },
        snackbarHost = { MessageHost(field) },
    ) { padding ->
        val r = revisit ?: return@Scaffold
        Column(
            Modifier.padding(padding).padding(16.dp).verticalScroll(rememberScrollState()),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            Text(r.place.unitId ?: r.place.commonAreaId ?: r.place.estateId, style = MaterialTheme.typography.titleMedium)
            if (r.status != RevisitStatus.PLANNED) {
                Text("已完成")
                return@Column
            }
            var method by remember { mutableStateOf(r.plannedMethod) }
            var rating by remember { mutableStateOf<Satisfaction?>(null) }
            var comments by remember { mutableStateOf("") }
            var residentName by remember { mutableStateOf("") }
            var discrepancy by remember { mutableStateOf(false) }
            val signature = rememberSignature()

            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                FilterChip(method == VisitMethod.PHONE, { method = VisitMethod.PHONE }, label = { Text("电话") })
                FilterChip(method == VisitMethod.IN_PERSON, { method = VisitMethod.IN_PERSON }, label = { Text("上门") })
            }
            Text("满意度", style = MaterialTheme.typography.titleSmall)
            ratings.chunked(3).forEach { line ->
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    line.forEach { (value, label) -> FilterChip(rating == value, { rating = value }, label = { Text(label) }) }
                }
            }
            OutlinedTextField(comments, { comments = it }, label = { Text("住户意见") }, modifier = Modifier.fillMaxWidth(), minLines = 3)
            Row(verticalAlignment = Alignment.CenterVertically) {
                Switch(discrepancy, { discrepancy = it })
                Text("  住户说法与部门报告不符", Modifier.padding(start = 8.dp))
            }
            OutlinedTextField(residentName, { residentName = it }, label = { Text("住户姓名") }, singleLine = true, modifier = Modifier.fillMaxWidth())
            if (method == VisitMethod.IN_PERSON) {
                Text("住户签字")
                SignaturePad(signature)
            }
            Button(
                onClick = {
                    val answer = RevisitAnswer(
                        method = method, satisfaction = rating, comments = comments,
                        residentName = residentName, discrepancy = discrepancy,
                    )
                    val png = if (method == VisitMethod.IN_PERSON && !signature.isEmpty) signature.toPng() else null
                    field.step({ it.revisits.record(id, answer, png) }) { back() }
                },
                modifier = Modifier.fillMaxWidth(),
            ) { Text("提交回访") }
        }
    }
}

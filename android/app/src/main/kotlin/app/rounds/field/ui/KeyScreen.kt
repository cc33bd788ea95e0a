package app.rounds.field.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
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
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.rounds.KeyId
import app.rounds.RoundsSession
import app.rounds.ffi.DepositedKey
import app.rounds.ffi.KeySignStep
import app.rounds.ffi.KeyUse
import app.rounds.ffi.KeyUseStatus
import app.rounds.field.FieldViewModel

/**
 * A resident's key in custody on the property assistant's or the guard's
 * phone: the weekly check, and each use signed for this person's side with
 * this phone's own key, opened once both sides signed, the entry written,
 * and resealed under a new seal both sides sign. What is allowed is the
 * core's call; the screen only offers the next step of each use.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun KeyScreen(field: FieldViewModel, id: KeyId, back: () -> Unit) {
    var key by remember { mutableStateOf<DepositedKey?>(null) }
    val reload = { field.call({ it.keys[id] }) { key = it } }
    fun step(op: (RoundsSession) -> Unit) = field.step(op) { reload() }
    LaunchedEffect(id) { reload() }

    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(key?.let { "托管钥匙 · ${it.statusLabel.zh}" } ?: "托管钥匙") },
                navigationIcon = { TextButton(onClick = back) { Text("返回") } },
            )
        },
        snackbarHost = { MessageHost(field) },
    ) { padding ->
        val k = key ?: return@Scaffold
        Column(
            Modifier.padding(padding).padding(16.dp).verticalScroll(rememberScrollState()),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            Text(k.description, style = MaterialTheme.typography.titleMedium)
            if (k.residentName.isNotEmpty()) Text("业主 ${k.residentName}")
            Text("封条 ${k.sealNo} · 下次核对 ${dueFormat.format(k.checkDueAt)}")
            CheckForm { present, intact, note -> step { it.keys.check(id, present, intact, note) } }
            HorizontalDivider()
            k.uses.forEach { u -> UseCard(id, u) { op -> step(op) } }
            UseForm { reason, present -> step { it.keys.requestUse(id, reason, present) } }
        }
    }
}

@Composable
private fun CheckForm(onCheck: (Boolean, Boolean, String) -> Unit) {
    var note by remember { mutableStateOf("") }
    Text("每周核对 Weekly check", style = MaterialTheme.typography.titleSmall)
    OutlinedTextField(note, { note = it }, label = { Text("说明(钥匙不在或封条损坏时必填)") }, modifier = Modifier.fillMaxWidth())
    Button({ onCheck(true, true, note) }, Modifier.fillMaxWidth()) { Text("钥匙在箱,封条完好") }
    OutlinedButton({ onCheck(true, false, note) }, Modifier.fillMaxWidth()) { Text("封条损坏") }
    OutlinedButton({ onCheck(false, false, note) }, Modifier.fillMaxWidth()) { Text("钥匙不在箱内") }
}

/** One use and its next step: sign, open, write the entry, reseal. */
@Composable
private fun UseCard(key: KeyId, u: KeyUse, step: ((RoundsSession) -> Unit) -> Unit) {
    var note by remember { mutableStateOf("") }
    var seal by remember { mutableStateOf("") }
    Text("${u.reason} · ${u.statusLabel.zh}", style = MaterialTheme.typography.titleSmall)
    Text("在场 ${u.present.joinToString("、")} · 已签 ${u.signers.size}")
    when (u.status) {
        KeyUseStatus.REQUESTED -> Button({ step { it.keys.sign(key, u.id, KeySignStep.APPROVE) } }, Modifier.fillMaxWidth()) { Text("本方签字同意使用") }
        KeyUseStatus.APPROVED -> Button({ step { it.keys.opened(key, u.id) } }, Modifier.fillMaxWidth()) { Text("现场开封") }
        KeyUseStatus.OPENED -> {
            OutlinedTextField(note, { note = it }, label = { Text("入室登记(人员、移动物品)") }, modifier = Modifier.fillMaxWidth())
            OutlinedButton({ step { it.keys.entered(key, u.id, note) } }, Modifier.fillMaxWidth()) { Text("登记入室") }
            OutlinedTextField(seal, { seal = it }, label = { Text("新封条号") }, singleLine = true, modifier = Modifier.fillMaxWidth())
            Button({ step { it.keys.sign(key, u.id, KeySignStep.RESEAL, seal) } }, Modifier.fillMaxWidth(), enabled = seal.isNotBlank()) { Text("本方签字重新封存") }
        }
        KeyUseStatus.RESEALED -> Text("已重新封存 Resealed")
    }
    HorizontalDivider()
}

@Composable
private fun UseForm(onRequest: (String, List<String>) -> Unit) {
    var reason by remember { mutableStateOf("") }
    var present by remember { mutableStateOf("") }
    Text("使用登记 Register a use", style = MaterialTheme.typography.titleSmall)
    OutlinedTextField(reason, { reason = it }, label = { Text("事由") }, modifier = Modifier.fillMaxWidth())
    OutlinedTextField(present, { present = it }, label = { Text("在场人员(二人以上,用顿号分隔)") }, modifier = Modifier.fillMaxWidth())
    Button(
        onClick = { onRequest(reason, present.split('、', ',', ',').map { it.trim() }.filter { it.isNotEmpty() }) },
        enabled = reason.isNotBlank(),
        modifier = Modifier.fillMaxWidth(),
    ) { Text("登记使用") }
}

package app.rounds.field.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.width
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.rounds.field.FieldViewModel
import java.util.Locale

/**
 * Says what waits to go up (records, photos and signatures) and whether the
 * last sync failed; tap to sync now. While a sync runs it shows how far it
 * has come and a stop button.
 */
@Composable
fun SyncIndicator(field: FieldViewModel, modifier: Modifier = Modifier) {
    val indicator by field.indicator.collectAsState()
    val syncing by field.syncing.collectAsState()
    val zh = Locale.getDefault().language == "zh"
    Surface(color = MaterialTheme.colorScheme.secondaryContainer, modifier = modifier.clickable(enabled = syncing == null) { field.sync() }) {
        Row(Modifier.padding(horizontal = 16.dp, vertical = 6.dp), verticalAlignment = Alignment.CenterVertically) {
            val progress = syncing
            val i = indicator
            val (dot, text) = when {
                progress != null -> MaterialTheme.colorScheme.primary to
                    if (zh) "同步中 · 已上传${progress.recordsSent}条、已接收${progress.recordsReceived}条"
                    else "Syncing · ${progress.recordsSent} sent, ${progress.recordsReceived} received"
                i == null -> MaterialTheme.colorScheme.outline to ""
                i.lastError != null -> MaterialTheme.colorScheme.error to (if (zh) i.zh else i.en)
                i.allSent -> MaterialTheme.colorScheme.primary to (if (zh) i.zh else i.en)
                else -> MaterialTheme.colorScheme.tertiary to (if (zh) i.zh else i.en)
            }
            Text("●", color = dot)
            Spacer(Modifier.width(8.dp))
            Text(text, style = MaterialTheme.typography.labelMedium, modifier = Modifier.weight(1f))
            if (progress != null) {
                TextButton(onClick = field::cancelSync) { Text(if (zh) "停止" else "Stop") }
            }
        }
    }
}

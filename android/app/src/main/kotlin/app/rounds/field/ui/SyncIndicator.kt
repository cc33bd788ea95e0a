package app.rounds.field.ui

import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.width
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp

/**
 * Says where the records are. Everything is saved on the phone first; the
 * sync client is not merged yet (mobile-bindings/src/sync.rs), so this says
 * so plainly rather than showing a state nothing measures. When it lands it
 * shows what is waiting to go up and the last sync.
 */
@Composable
fun SyncIndicator(modifier: Modifier = Modifier) {
    Surface(color = MaterialTheme.colorScheme.secondaryContainer, modifier = modifier) {
        Row(Modifier.padding(horizontal = 16.dp, vertical = 6.dp), verticalAlignment = Alignment.CenterVertically) {
            Text("●", color = MaterialTheme.colorScheme.outline)
            Spacer(Modifier.width(8.dp))
            Text("已保存在本机 · 尚未接入同步", style = MaterialTheme.typography.labelMedium)
        }
    }
}

package app.rounds.field.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.ListItem
import androidx.compose.material3.ListItemDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.rounds.ffi.PlaceChoice

/**
 * Where, picked from the estate's own places (synced, so it works offline):
 * common areas under their kind, units under building and entrance, and a
 * search by 房号 or name for an estate of a thousand units. Nothing typed
 * becomes a place, so the office's lists and the unit's file find the record.
 */
@Composable
fun PlacePicker(choices: List<PlaceChoice>, picked: PlaceChoice?, onPick: (PlaceChoice) -> Unit, modifier: Modifier = Modifier) {
    var search by remember { mutableStateOf("") }
    val shown = choices.filter { search.isBlank() || it.label.contains(search.trim()) || it.group.contains(search.trim()) }
    Column(modifier) {
        OutlinedTextField(
            search, { search = it },
            label = { Text("搜索房号或位置 Search") },
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
        if (choices.isEmpty()) Text("还没有小区的位置,请先同步 / no places yet: sync first", Modifier.padding(8.dp))
        LazyColumn(Modifier.heightIn(max = 320.dp)) {
            shown.groupBy { it.group }.forEach { (group, places) ->
                item(key = "group:$group") {
                    Text(group, style = MaterialTheme.typography.labelLarge, modifier = Modifier.padding(top = 12.dp, bottom = 4.dp))
                }
                items(places, key = { it.place.unitId ?: it.place.commonAreaId ?: it.label }) { choice ->
                    ListItem(
                        headlineContent = { Text(choice.label) },
                        modifier = Modifier.clickable { onPick(choice) },
                        colors = if (choice == picked) {
                            ListItemDefaults.colors(containerColor = MaterialTheme.colorScheme.primaryContainer)
                        } else {
                            ListItemDefaults.colors()
                        },
                    )
                }
            }
        }
    }
}

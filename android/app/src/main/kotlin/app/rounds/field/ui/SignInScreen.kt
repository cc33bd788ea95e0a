package app.rounds.field.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
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
import app.rounds.ffi.Role
import app.rounds.ffi.StaffMember
import app.rounds.ffi.roleLabel

/** Who uses this phone. Replaced by the server's sign-in when sync lands. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun SignInScreen(onSignIn: (StaffMember) -> Unit) {
    var id by remember { mutableStateOf("") }
    var name by remember { mutableStateOf("") }
    var estates by remember { mutableStateOf("") }
    var role by remember { mutableStateOf(Role.TECHNICIAN) }
    Column(Modifier.padding(24.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text("登录 Rounds", style = MaterialTheme.typography.headlineSmall)
        OutlinedTextField(id, { id = it }, label = { Text("工号") }, singleLine = true, modifier = Modifier.fillMaxWidth())
        OutlinedTextField(name, { name = it }, label = { Text("姓名") }, singleLine = true, modifier = Modifier.fillMaxWidth())
        OutlinedTextField(estates, { estates = it }, label = { Text("负责的小区(编号,逗号分隔)") }, singleLine = true, modifier = Modifier.fillMaxWidth())
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Role.entries.forEach { r -> FilterChip(role == r, { role = r }, label = { Text(roleLabel(r).zh) }) }
        }
        Button(
            onClick = { onSignIn(StaffMember(id.trim(), name.trim(), role, estates.split(',', '，').map { it.trim() }.filter { it.isNotEmpty() })) },
            enabled = id.isNotBlank() && name.isNotBlank() && estates.isNotBlank(),
            modifier = Modifier.fillMaxWidth(),
        ) { Text("进入") }
    }
}

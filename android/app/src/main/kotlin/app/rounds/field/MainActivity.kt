package app.rounds.field

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.viewModels
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.navigation.NavType
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.rememberNavController
import androidx.navigation.navArgument
import app.rounds.OrderId
import app.rounds.RectificationId
import app.rounds.RevisitId
import app.rounds.ffi.RecordKind
import app.rounds.field.ui.PatrolScreen
import app.rounds.field.ui.RectificationScreen
import app.rounds.field.ui.RevisitScreen
import app.rounds.field.ui.SignInScreen
import app.rounds.field.ui.TodayScreen
import app.rounds.field.ui.WorkOrderScreen

class MainActivity : ComponentActivity() {
    private val field: FieldViewModel by viewModels()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContent {
            MaterialTheme {
                RoundsApp(field)
            }
        }
    }
}

@Composable
private fun RoundsApp(field: FieldViewModel) {
    val staff by field.staff.collectAsState()
    val message by field.message.collectAsState()
    val keyLost by field.keyLost.collectAsState()
    keyLost?.let { words ->
        // No way round it but agreeing: the store cannot be read without its key.
        AlertDialog(
            onDismissRequest = {},
            text = { Text("${words.warning.zh}\n\n${words.warning.en}") },
            confirmButton = { TextButton(onClick = field::startAfresh) { Text(words.startAfresh.zh) } },
        )
    }
    if (staff == null) {
        SignInScreen(field.lastServer, message) { server, username, password ->
            field.dismissMessage()
            field.signIn(server, username, password)
        }
        return
    }
    val nav = rememberNavController()
    NavHost(nav, startDestination = "today") {
        composable("today") {
            TodayScreen(
                field = field,
                openTask = { row ->
                    when (row.kind) {
                        RecordKind.WORK_ORDER -> nav.navigate("order/${row.id}")
                        RecordKind.REVISIT -> nav.navigate("revisit/${row.id}")
                        RecordKind.RECTIFICATION -> nav.navigate("rectification/${row.id}")
                        else -> Unit
                    }
                },
                startPatrol = { nav.navigate("patrol") },
            )
        }
        composable("order/{id}", arguments = listOf(navArgument("id") { type = NavType.StringType })) {
            WorkOrderScreen(field, OrderId(it.arguments!!.getString("id")!!), back = { nav.popBackStack() })
        }
        composable("revisit/{id}", arguments = listOf(navArgument("id") { type = NavType.StringType })) {
            RevisitScreen(field, RevisitId(it.arguments!!.getString("id")!!), back = { nav.popBackStack() })
        }
        composable("rectification/{id}", arguments = listOf(navArgument("id") { type = NavType.StringType })) {
            RectificationScreen(field, RectificationId(it.arguments!!.getString("id")!!), back = { nav.popBackStack() })
        }
        composable("patrol") {
            PatrolScreen(field, back = { nav.popBackStack() })
        }
    }
}

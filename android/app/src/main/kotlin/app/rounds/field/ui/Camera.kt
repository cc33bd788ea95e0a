package app.rounds.field.ui

import android.net.Uri
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.platform.LocalContext
import androidx.core.content.FileProvider
import app.rounds.field.FieldViewModel
import java.io.File

/**
 * The camera, for every screen that takes photos: returns what starts it;
 * [taken] gets the JPEG file once the photo is taken (never for a cancelled
 * one). Photos wait in the app's camera directory until the core stores them.
 */
@Composable
fun rememberCamera(field: FieldViewModel, taken: (File) -> Unit): () -> Unit {
    val context = LocalContext.current
    var pending by remember { mutableStateOf<File?>(null) }
    val camera = rememberLauncherForActivityResult(ActivityResultContracts.TakePicture()) { ok ->
        val file = pending
        pending = null
        if (ok && file != null) taken(file)
    }
    return {
        val file = File(field.cameraDir, "${System.currentTimeMillis()}.jpg").also { pending = it }
        val uri: Uri = FileProvider.getUriForFile(context, "${context.packageName}.photos", file)
        camera.launch(uri)
    }
}

package app.rounds.field

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import app.rounds.RoundsSession
import app.rounds.ffi.RoundsException
import app.rounds.ffi.StaffMember
import app.rounds.ffi.TaskRow
import app.rounds.messageFor
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import java.io.File

/**
 * Holds the signed-in session and runs every call on the IO dispatcher (the
 * core blocks on its database). A refusal from the core becomes [message], in
 * the phone's language; the screens never catch anything themselves.
 */
class FieldViewModel(app: Application) : AndroidViewModel(app) {
    private val prefs = StaffPrefs(app)
    private var session: RoundsSession? = null

    private val _staff = MutableStateFlow<StaffMember?>(null)
    val staff: StateFlow<StaffMember?> = _staff.asStateFlow()

    private val _tasks = MutableStateFlow<List<TaskRow>>(emptyList())
    val tasks: StateFlow<List<TaskRow>> = _tasks.asStateFlow()

    /** The last refusal or failure, for a snackbar. */
    private val _message = MutableStateFlow<String?>(null)
    val message: StateFlow<String?> = _message.asStateFlow()

    /** Where photos from the camera are written before they are stored. */
    val cameraDir: File get() = File(getApplication<Application>().cacheDir, "camera").apply { mkdirs() }

    init {
        prefs.load()?.let(::openSession)
    }

    fun signIn(staff: StaffMember) {
        prefs.save(staff)
        openSession(staff)
    }

    private fun openSession(staff: StaffMember) {
        viewModelScope.launch {
            val opened = withContext(Dispatchers.IO) {
                runCatching { RoundsSession.open(getApplication<Application>().filesDir, staff) }
            }
            opened.onSuccess {
                session = it
                _staff.value = staff
                refresh()
            }.onFailure(::show)
        }
    }

    fun refresh() = call({ it.myTasks() }) { _tasks.value = it }

    /**
     * Runs [op] against the session off the main thread, then [done] on the
     * main thread with its result; a refusal is shown instead.
     */
    fun <T> call(op: (RoundsSession) -> T, done: (T) -> Unit = {}) {
        val s = session ?: return
        viewModelScope.launch {
            withContext(Dispatchers.IO) { runCatching { op(s) } }
                .onSuccess(done)
                .onFailure(::show)
        }
    }

    /** Like [call], then reloads today's list (a step changed a record). */
    fun <T> step(op: (RoundsSession) -> T, done: (T) -> Unit = {}) = call(op) {
        done(it)
        refresh()
    }

    fun dismissMessage() {
        _message.value = null
    }

    private fun show(e: Throwable) {
        _message.value = when (e) {
            is RoundsException -> e.messageFor()
            else -> e.message ?: e.toString()
        }
    }

    override fun onCleared() {
        session?.close()
    }
}

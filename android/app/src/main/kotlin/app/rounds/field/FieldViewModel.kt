package app.rounds.field

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import android.os.Build
import app.rounds.PhoneVault
import app.rounds.RoundsSession
import app.rounds.StoreKeyLostException
import app.rounds.SyncIndicator
import app.rounds.ffi.RoundsException
import app.rounds.ffi.RulesInForce
import app.rounds.ffi.StaffMember
import app.rounds.ffi.StoreKeyLost
import app.rounds.ffi.SyncJob
import app.rounds.ffi.SyncProgress
import app.rounds.ffi.TaskRow
import app.rounds.ffi.storeKeyLost
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
    /** The store's key and the sign-in, sealed by the Android Keystore. */
    private val vault = PhoneVault(app.filesDir, KeystoreWrapper())
    private val saved = SavedSignIn(app, vault)
    private var session: RoundsSession? = null
    private var syncJob: SyncJob? = null

    val lastServer: String get() = saved.lastServer()

    /** What the sync indicator shows; null until signed in. */
    private val _indicator = MutableStateFlow<SyncIndicator?>(null)
    val indicator: StateFlow<SyncIndicator?> = _indicator.asStateFlow()

    /** The running sync's progress; null when no sync runs. */
    private val _syncing = MutableStateFlow<SyncProgress?>(null)
    val syncing: StateFlow<SyncProgress?> = _syncing.asStateFlow()

    private val _staff = MutableStateFlow<StaffMember?>(null)
    val staff: StateFlow<StaffMember?> = _staff.asStateFlow()

    private val _tasks = MutableStateFlow<List<TaskRow>>(emptyList())
    val tasks: StateFlow<List<TaskRow>> = _tasks.asStateFlow()

    /** The company's rules and calendar the phone applies; null until read. */
    private val _rules = MutableStateFlow<RulesInForce?>(null)
    val rules: StateFlow<RulesInForce?> = _rules.asStateFlow()
    /**
     * Set when this phone's store no longer opens (the Keystore lost its
     * key): what to tell the user before [startAfresh] clears it.
     */
    private val _keyLost = MutableStateFlow<StoreKeyLost?>(null)
    val keyLost: StateFlow<StoreKeyLost?> = _keyLost.asStateFlow()

    /** The last refusal or failure, for a snackbar. */
    private val _message = MutableStateFlow<String?>(null)
    val message: StateFlow<String?> = _message.asStateFlow()

    /** Where photos from the camera are written before they are stored. */
    val cameraDir: File get() = File(getApplication<Application>().cacheDir, "camera").apply { mkdirs() }

    private val appDir: File get() = getApplication<Application>().filesDir

    init {
        openSession { saved.load()?.let { credentials -> RoundsSession.resume(appDir, vault.storeKey(), credentials) } }
    }

    /** Signs in against the server; the role and estates come from its account. */
    fun signIn(serverUrl: String, username: String, password: String) = openSession {
        RoundsSession.signIn(appDir, vault.storeKey(), serverUrl.trim(), username.trim(), password, Build.MODEL ?: "Android")
            .also { s -> s.credentials?.let(saved::save) }
    }

    /**
     * The user read [keyLost] and agreed: the unreadable store is set aside,
     * a new key made at the next sign-in, and the server's records come
     * back with the first sync. Unsynced changes in the old store are lost.
     */
    fun startAfresh() {
        viewModelScope.launch {
            withContext(Dispatchers.IO) { runCatching { vault.startAfresh() } }
                .onSuccess { _keyLost.value = null }
                .onFailure(::show)
        }
    }

    fun signOut() {
        syncJob?.cancel()
        session?.close()
        session = null
        saved.clear()
        _staff.value = null
        _indicator.value = null
    }

    /** Runs [open] off the main thread; null means nothing to open (not signed in). */
    private fun openSession(open: () -> RoundsSession?) {
        viewModelScope.launch {
            withContext(Dispatchers.IO) { runCatching(open) }
                .onSuccess { opened ->
                    if (opened == null) return@onSuccess
                    session = opened
                    _staff.value = opened.staff
                    refresh()
                    sync()
                }.onFailure { e ->
                    when (e) {
                        // Nothing is cleared here: the user decides, having read why.
                        is StoreKeyLostException, is RoundsException.WrongStoreKey -> _keyLost.value = storeKeyLost()
                        else -> show(e)
                    }
                }
        }
    }

    fun refresh() = call({ Triple(it.myTasks(), it.syncIndicator(), it.rulesInForce()) }) { (tasks, indicator, rules) ->
        _tasks.value = tasks
        _indicator.value = indicator
        _rules.value = rules
    }

    /** Syncs in the background; the screens stay usable meanwhile. */
    fun sync() {
        val s = session ?: return
        if (syncJob != null) return
        val job = SyncJob().also { syncJob = it }
        _syncing.value = SyncProgress(0u, 0u, 0u, 0u, 0u)
        viewModelScope.launch {
            val result = withContext(Dispatchers.IO) {
                runCatching { s.sync(job) { progress -> _syncing.value = progress } }
            }
            syncJob = null
            _syncing.value = null
            job.close()
            result.onFailure { e ->
                when (e) {
                    is RoundsException.Cancelled -> Unit
                    // The indicator says offline; no snackbar for a basement.
                    is RoundsException.Offline -> Unit
                    is RoundsException.SignedOut -> {
                        show(e)
                        signOut()
                        return@launch
                    }
                    else -> show(e)
                }
            }
            refresh()
        }
    }

    /** The indicator's stop button. */
    fun cancelSync() {
        syncJob?.cancel()
    }

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

    /** Like [call], then reloads today's list and the indicator (a step changed a record). */
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

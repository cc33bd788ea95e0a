package app.rounds

import app.rounds.ffi.PendingUpload
import app.rounds.ffi.RoundsException
import app.rounds.ffi.SyncProgress
import java.time.Instant

/** Told as a sync moves, on the syncing thread. */
fun interface SyncProgressListener {
    fun onProgress(progress: SyncProgress)
}

/**
 * What the sync indicator shows: what waits to go up, when the last sync
 * finished, and why the last one failed (offline, signed out), in both
 * languages.
 */
data class SyncIndicator(
    val waiting: PendingUpload,
    val lastSynced: Instant? = null,
    val lastError: RoundsException? = null,
    val signedIn: Boolean = true,
) {
    val allSent: Boolean get() = waiting.records == 0u && waiting.attachments == 0u

    val zh: String get() = when {
        !signedIn -> "未登录,无法同步"
        lastError is RoundsException.Offline -> "离线 · ${waitingZh()}"
        lastError is RoundsException.SignedOut -> "请重新登录 · ${waitingZh()}"
        lastError != null -> "同步失败 · ${waitingZh()}"
        else -> waitingZh()
    }

    val en: String get() = when {
        !signedIn -> "Not signed in: cannot sync"
        lastError is RoundsException.Offline -> "Offline · ${waitingEn()}"
        lastError is RoundsException.SignedOut -> "Sign in again · ${waitingEn()}"
        lastError != null -> "Sync failed · ${waitingEn()}"
        else -> waitingEn()
    }

    private fun waitingZh() = if (allSent) "已全部上传" else buildList {
        if (waiting.records > 0u) add("${waiting.records}条记录")
        if (waiting.attachments > 0u) add("${waiting.attachments}张照片或签字")
    }.joinToString("、") + "待上传"

    private fun waitingEn() = if (allSent) "all sent" else buildList {
        if (waiting.records > 0u) add("${waiting.records} record${if (waiting.records == 1u) "" else "s"}")
        if (waiting.attachments > 0u) add("${waiting.attachments} photo${if (waiting.attachments == 1u) "" else "s"} or signature${if (waiting.attachments == 1u) "" else "s"}")
    }.joinToString(" and ") + " waiting to go up"
}

package app.rounds

import app.rounds.ffi.RecordKind
import app.rounds.ffi.Rounds
import app.rounds.ffi.StaffMember
import app.rounds.ffi.TaskRow
import java.io.File

/**
 * One person signed in on this phone: the app's handle on the shared core.
 *
 * Every call goes through the core's rules; a refusal is thrown as a
 * [app.rounds.ffi.RoundsException] carrying its message in Chinese and English
 * (see [messageFor]). Calls block on the local database, so run them off the
 * main thread; the session is safe to share between threads.
 */
class RoundsSession private constructor(private val ffi: Rounds) : AutoCloseable {
    /** Work orders (报修 / 维修单). */
    val orders = WorkOrders(ffi)

    /** Revisits (回访) and home visits (家访). */
    val revisits = Revisits(ffi)

    /** Complaints (投诉). */
    val complaints = Complaints(ffi)

    val staff: StaffMember get() = ffi.staff()

    /** This phone's id, made when the store was first opened. */
    val deviceId: String get() = ffi.deviceId()

    /** My open orders, revisits and rectifications, soonest due first. */
    fun myTasks(): List<TaskRow> = ffi.myTasks()

    /** Records of [kind] past their due time, in my estates. */
    fun overdue(kind: RecordKind = RecordKind.WORK_ORDER): List<TaskRow> = ffi.overdue(kind)

    /** Revisits due within the next [withinDays] days. */
    fun dueRevisits(withinDays: Int = 7): List<TaskRow> {
        require(withinDays >= 0) { "withinDays must not be negative" }
        return ffi.dueRevisits(withinDays.toUInt())
    }

    /** Everything recorded for a unit (房号). */
    fun unitHistory(unitId: String): List<TaskRow> = ffi.unitHistory(unitId)

    // Sync goes here when the sync client merges (see mobile-bindings/src/sync.rs).

    override fun close() = ffi.close()

    companion object {
        /**
         * Opens the store kept in [appDir] (the app's private files
         * directory) for [staff]. Several sessions may share one directory,
         * as on a front-desk phone several people use.
         */
        fun open(appDir: File, staff: StaffMember): RoundsSession =
            RoundsSession(Rounds.open(appDir.path, staff))
    }
}

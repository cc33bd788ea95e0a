package app.rounds

import app.rounds.ffi.DeskReportDue
import app.rounds.ffi.Rounds
import app.rounds.ffi.newRecordId

/**
 * The front desk's matters passed to this person's department, waiting on
 * its status report within the company's working days (§5.3.2), and the
 * report made from the phone; it leaves the list once synced.
 */
class DeskReports internal constructor(private val ffi: Rounds) {
    /** Soonest due first; overdue ones marked. */
    fun due(): List<DeskReportDue> = ffi.deskReportsDue()

    /** The department's report on [entry] of the desk log [logId]. */
    fun report(logId: String, entry: String, note: String, finished: Boolean = false, reportId: String = newRecordId()) =
        ffi.reportDeskStatus(logId, reportId, entry, note, finished)
}

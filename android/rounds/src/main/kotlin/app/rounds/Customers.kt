package app.rounds

import app.rounds.ffi.Customer
import app.rounds.ffi.CustomerDue
import app.rounds.ffi.CustomerPaperwork
import app.rounds.ffi.Rounds
import app.rounds.ffi.TaskRow

/**
 * Company customers (公司客户) on the revisiting staff member's phone: the
 * customers with their next revisit, a customer's name, rank and contact
 * for the visit, and the visit's report (《客户回访报告》) and filing after
 * it. The visit itself is an ordinary revisit, recorded through
 * [Revisits.record] — on site with the customer's signature.
 */
class Customers internal constructor(private val ffi: Rounds) {
    /** My estates' customers, those with a revisit overdue first. */
    fun due(): List<CustomerDue> = ffi.customersDue()

    operator fun get(id: CustomerId): Customer = ffi.customer(id.value)

    /** Its revisits as this phone knows them, soonest due first. */
    fun visits(id: CustomerId): List<TaskRow> = ffi.customerVisits(id.value)

    /** The visit's report, written after it (by the next working day). */
    fun writeReport(visit: RevisitId, report: String) = ffi.writeCustomerReport(visit.value, report)

    /** The visit's papers went to the department head. */
    fun file(visit: RevisitId) = ffi.fileCustomerRevisit(visit.value)

    /** Done visits whose report or papers are still owed, soonest due first. */
    fun paperworkDue(): List<CustomerPaperwork> = ffi.customerPaperworkDue()
}

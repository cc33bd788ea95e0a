package app.rounds

import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * A matter the front desk passes to engineering is due on the technician's
 * phone; the technician reports on it from the phone, and after the sync it
 * is gone from the phone's list and from the desk's.
 */
class DeskReportsTest {
    private val phones = Phones()

    @After
    fun tearDown() = phones.close()

    private fun phoneOf(username: String) = phones.of(username)

    @Test
    fun aDepartmentsReportIsDueOnItsPhoneMadeAndGoneAfterSync() {
        // The desk writes today's shift and passes a leak to engineering.
        val desk = DemoServer.consoleToken("reception")
        val logId = app.rounds.ffi.newRecordId()
        val today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString()
        val (opened, openBody) = DemoServer.post(
            DemoServer.base, "/v1/desk-logs", desk,
            """{"id":"$logId","estate_id":"${DemoServer.ESTATE}","date":"$today","shift":"night"}""",
        )
        assertEquals(openBody, 201, opened)
        val entry = app.rounds.ffi.newRecordId()
        val (added, addBody) = DemoServer.post(
            DemoServer.base, "/v1/desk-logs/$logId/entries", desk,
            """{"id":"$entry","kind":"matter","party":"","summary":"3栋地下车库渗水","outcome":"passed_on","department":"engineering"}""",
        )
        assertEquals(addBody, 200, added)

        // Due on the technician's phone, engineering's only.
        val tech = phoneOf("tech")
        tech.sync()
        val due = tech.deskReports.due()
        val leak = due.single { it.entry == entry }
        assertEquals("engineering", leak.department)
        assertEquals("工程部", leak.departmentLabel.zh)
        assertFalse(leak.overdue)
        assertTrue("only engineering's", due.all { it.department == "engineering" })

        tech.deskReports.report(logId, entry, "已查看,明日更换管件")
        assertTrue(tech.deskReports.due().none { it.entry == entry })
        val report = tech.sync()
        assertTrue("refused: ${report.refused}", report.refused.isEmpty())

        // The desk's list no longer waits on it.
        val (code, body) = DemoServer.get(DemoServer.base, "/v1/desk-reports", desk)
        assertEquals(body, 200, code)
        assertFalse(body, body.contains(entry))
        // And a fresh sync does not bring it back.
        tech.sync()
        assertTrue(tech.deskReports.due().none { it.entry == entry })
    }
}

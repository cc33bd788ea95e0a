package app.rounds

import app.rounds.ffi.CustomerTier
import app.rounds.ffi.RecordKind
import app.rounds.ffi.RevisitAnswer
import app.rounds.ffi.RevisitStatus
import app.rounds.ffi.RoundsException
import app.rounds.ffi.Satisfaction
import app.rounds.ffi.VisitMethod
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Test
import java.time.LocalDate
import java.time.ZoneId

/**
 * A key customer's on-site visit on the revisiting assistant's phone: the
 * office registers the customer with its handover a year ago, so its
 * on-site visit is due today; the phone syncs and sees the visit and whom
 * it is for, records it on site with the customer's signature before it
 * syncs again (an unsigned one is refused), writes the visit's report and
 * syncs; the office reads the visit done and reported.
 */
class CustomerVisitTest {
    private val phones = Phones()

    @After
    fun tearDown() = phones.close()

    private fun synced(phone: RoundsSession) {
        val report = phone.sync()
        assertTrue("refused: ${report.refused}", report.refused.isEmpty())
    }

    @Test
    fun aKeyCustomersOnSiteVisitIsSignedOnThePhoneAndReported() {
        val assistant = phones.of("assistant")
        synced(assistant)
        val unit = assistant.places(DemoServer.ESTATE).first { it.place.unitId != null }.place.unitId!!

        // A year after the handover a key customer (on site every six months) is due on site today.
        val desk = DemoServer.consoleToken("reception")
        val handover = LocalDate.now(ZoneId.of("Asia/Shanghai")).minusYears(1)
        val customer = CustomerId.new()
        val (code, body) = DemoServer.post(
            DemoServer.base, "/v1/customers", desk,
            """{"id":"$customer","estate_id":"${DemoServer.ESTATE}","name":"翠湖药房","tier":"key",
               "unit_ids":["$unit"],"premises":"3号楼底商","handover_date":"$handover",
               "contact_name":"赵经理","contact_title":"店长","contact_phone":"13800138000",
               "manager":"s-assistant"}""",
        )
        assertEquals(body, 201, code)

        // The phone syncs: the customer heads its list, the on-site visit due now among its tasks.
        synced(assistant)
        val due = assistant.customers.due().first { it.customer.id == customer.value }
        assertEquals("翠湖药房", due.customer.title)
        assertNotNull(due.next)
        val visit = RevisitId(due.next!!.id)
        assertTrue(assistant.myTasks().any { it.id == visit.value && it.kind == RecordKind.REVISIT })
        val planned = assistant.revisits[visit]
        assertEquals(VisitMethod.IN_PERSON, planned.plannedMethod)
        assertEquals(RevisitStatus.PLANNED, planned.status)
        // Whom the visit is for, on the phone.
        val c = assistant.customers[customer]
        assertEquals(CustomerTier.KEY, c.tier)
        assertEquals("赵经理", c.contactName)
        assertEquals("13800138000", c.contactPhone)

        // On site, before the phone syncs again: unsigned, the visit is refused and stays planned.
        val answer = RevisitAnswer(
            method = VisitMethod.IN_PERSON,
            satisfaction = Satisfaction.VERY_SATISFIED,
            comments = "门头灯箱需要检修",
            residentName = c.contactName,
        )
        refused<RoundsException.Incomplete> { assistant.revisits.record(visit, answer) }
        assertEquals(RevisitStatus.PLANNED, assistant.revisits[visit].status)
        assistant.revisits.record(visit, answer, signaturePng = "customer signature png".toByteArray())
        // The report is owed once the visit is done.
        assertTrue(assistant.customers.paperworkDue().any { it.revisit.id == visit.value && !it.reported })
        assistant.customers.writeReport(visit, "客户满意,提出门头灯箱检修需求")
        val done = assistant.revisits[visit]
        assertEquals(RevisitStatus.DONE, done.status)
        assertNotNull(done.signatureImage)
        assertEquals("客户满意,提出门头灯箱检修需求", done.report)
        assertNotNull(done.reportedAt)
        // Doing it planned the next on-site visit, half a year on.
        val nextOnSite = assistant.customers.visits(customer)
            .filter { it.status == "planned" }
            .map { assistant.revisits[RevisitId(it.id)] }
            .single { it.plannedMethod == VisitMethod.IN_PERSON }
        assertTrue(nextOnSite.dueAt.isAfter(done.doneAt!!.plusSeconds(150L * 86_400)))
        synced(assistant)

        // The office reads the visit done, reported, not yet filed.
        val (viewCode, view) = DemoServer.get(DemoServer.base, "/v1/customers/$customer", desk)
        assertEquals(view, 200, viewCode)
        val at = view.indexOf("\"id\":\"${visit.value}\"")
        assertTrue(view, at >= 0)
        assertEquals(view, "done", Regex("\"status\":\"([a-z_]+)\"").find(view, at)!!.groupValues[1])
        assertEquals(view, "true", Regex("\"reported\":(true|false)").find(view, at)!!.groupValues[1])
        assertEquals(view, "false", Regex("\"filed\":(true|false)").find(view, at)!!.groupValues[1])
    }
}

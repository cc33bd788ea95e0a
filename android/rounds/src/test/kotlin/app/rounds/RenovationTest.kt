package app.rounds

import app.rounds.ffi.ItemResult
import app.rounds.ffi.RenovationStatus
import app.rounds.ffi.RoundsException
import app.rounds.ffi.newRecordId
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Test
import java.time.Duration
import java.time.Instant

/**
 * A renovation's field work on the property assistant's phone: it syncs and
 * finds the demo's application whose works are finished, awaiting
 * acceptance; in the unit, without signal, it patrols the works on the
 * renovation checklist (debris in the stairwell, a notice to the
 * contractor), fails the acceptance with its defects, records the
 * rectification finished and passes the second acceptance. Synced, the
 * office reads the application accepted, with both acceptances and the
 * patrol; a technician's phone reads it without the owner's or workers'
 * names.
 */
class RenovationTest {
    private val phones = Phones()

    @After
    fun tearDown() = phones.close()

    private fun synced(phone: RoundsSession) {
        val report = phone.sync()
        assertTrue("refused: ${report.refused}", report.refused.isEmpty())
    }

    @Test
    fun theAssistantPatrolsAndAcceptsARenovationOfflineAndTheOfficeReadsIt() {
        val assistant = phones.of("assistant")
        synced(assistant)

        val row = assistant.renovations.awaitingAcceptance().first()
        val dueAt = row.dueAt
        assertNotNull("acceptance is due", dueAt)
        val id = RenovationId(row.id)
        val before = assistant.renovations[id]
        assertEquals(RenovationStatus.AWAITING_ACCEPTANCE, before.status)
        assertEquals("已完工,待验收", before.statusLabel.zh)
        assertEquals(dueAt, before.acceptanceDueAt)
        assertTrue("nobody moves in before acceptance", before.moveInBarred)
        // The area administrator visits the owner: names and phone shown.
        assertTrue(before.ownerPhone.isNotEmpty())
        assertEquals("王建国", before.passes.single().name)

        // In the unit there is no signal; the application and the renovation
        // checklist are on the phone all the same.
        val site = phones.offline(assistant)
        refused<RoundsException.Offline> { site.sync() }
        val checklist = site.inspections.checklists().first { it.category == "renovation_patrol" }
        val patrol = site.renovations.startPatrol(id, checklist.id)
        val started = site.inspections[patrol]
        assertEquals(id.value, started.renovationId)
        assertEquals(before.place.unitId, started.place.unitId)
        for (item in started.items.filter { it.id != "debris" }) {
            site.inspections.record(patrol, item.id, ItemResult.OK)
        }
        site.inspections.record(patrol, "debris", ItemResult.DEFECT, "楼道堆放装修垃圾")
        val notice = site.renovations.raiseDefect(patrol, "debris", Instant.now().plus(Duration.ofDays(1)))
        val n = site.rectifications[notice]
        assertEquals(before.contractor, n.responsibleParty)
        assertEquals("楼道堆放装修垃圾", n.problem)
        site.inspections.submit(patrol)
        assertEquals(listOf(patrol.value), site.renovations.patrols(id).map { it.id })

        // A failed acceptance says what failed.
        val blank = refused<RoundsException.InvalidInput> { site.renovations.fail(id, "  ") }
        assertEquals("defects", blank.field)
        site.renovations.fail(id, "卫生间闭水试验渗漏")
        val failed = site.renovations[id]
        assertEquals(RenovationStatus.RECTIFYING, failed.status)
        assertTrue(failed.moveInBarred)
        // No second acceptance before the rectification is reported finished.
        refused<RoundsException.InvalidInput> { site.renovations.pass(id) }
        site.renovations.reportFinished(id)
        val again = site.renovations[id]
        assertEquals(RenovationStatus.AWAITING_ACCEPTANCE, again.status)
        assertNotNull(again.acceptanceDueAt)
        val acceptance = newRecordId()
        site.renovations.pass(id, acceptance)
        // A retried tap records once.
        site.renovations.pass(id, acceptance)
        val accepted = site.renovations[id]
        assertEquals(RenovationStatus.ACCEPTED, accepted.status)
        assertFalse(accepted.moveInBarred)
        assertEquals(null, accepted.acceptanceDueAt)
        assertEquals(listOf(false to "卫生间闭水试验渗漏", true to ""), accepted.acceptances.map { it.passed to it.defects })
        assertTrue(accepted.acceptances.all { it.by == "s-assistant" })
        assertTrue(site.renovations.awaitingAcceptance().none { it.id == id.value })

        // Back in range: everything goes up, nothing refused.
        synced(assistant)

        // The office reads the application accepted, both acceptances and the patrol.
        val (code, body) = DemoServer.get(DemoServer.base, "/v1/renovations/${id.value}", assistant.credentials!!.token)
        assertEquals(body, 200, code)
        assertTrue(body, body.contains("\"status\":\"accepted\""))
        assertTrue(body, body.contains("\"move_in_barred\":false"))
        assertTrue(body, body.contains("\"defects\":\"卫生间闭水试验渗漏\""))
        assertTrue(body, body.contains("\"id\":\"${patrol.value}\""))

        // And the contractor's notice, raised from the patrol.
        val (noticeCode, noticeBody) = DemoServer.get(DemoServer.base, "/v1/rectifications/${notice.value}", assistant.credentials!!.token)
        assertEquals(noticeBody, 200, noticeCode)
        assertTrue(noticeBody, noticeBody.contains(before.contractor))

        // A technician reads the same application without anyone's name.
        val tech = phones.of("tech")
        synced(tech)
        val seen = tech.renovations[id]
        assertEquals(RenovationStatus.ACCEPTED, seen.status)
        assertEquals("", seen.ownerName)
        assertEquals("", seen.ownerPhone)
        assertEquals("", seen.passes.single().name)
    }
}

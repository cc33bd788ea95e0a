package app.rounds

import app.rounds.ffi.InspectionStatus
import app.rounds.ffi.ItemResult
import app.rounds.ffi.RectificationDraft
import app.rounds.ffi.RectificationStatus
import app.rounds.ffi.Reinspection
import app.rounds.ffi.RoundsException
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import java.time.Duration
import java.time.Instant

/**
 * A patrol defect followed to its end on the property assistant's phone:
 * the notice issued on the spot, the contractor's report with a photo, a
 * re-inspection that sends it round again, a second report, and the
 * re-inspection that passes it; the office then reads it rectified.
 */
class RectificationTest {
    private val phones = Phones()

    @After
    fun tearDown() = phones.close()

    private fun phoneOf(username: String) = phones.of(username)

    @Test
    fun aDefectGoesToANoticeRoundTwiceAndIsPassedOnThePhone() {
        val assistant = phoneOf("assistant")
        assistant.sync()
        val checklist = assistant.inspections.checklists().first { it.category == "weekly_estate_patrol" }
        // Where: picked from the estate's places the sync brought, never typed.
        val places = assistant.places(DemoServer.ESTATE)
        assertTrue("units are offered by building and entrance", places.any { it.place.unitId != null && it.group.contains("栋") })
        val garden = places.first { it.group.startsWith("花园") }.place
        assertEquals("${DemoServer.ESTATE}-garden", garden.commonAreaId)
        val inspection = assistant.inspections.start(checklist.id, garden)
        for (item in assistant.inspections[inspection].items.filter { it.id != "drains" }) {
            assistant.inspections.record(inspection, item.id, ItemResult.OK)
        }
        assistant.inspections.record(inspection, "drains", ItemResult.DEFECT, "花园井盖破损")
        assistant.inspections.submit(inspection)
        assertEquals(InspectionStatus.SUBMITTED, assistant.inspections[inspection].status)

        val week = Instant.now().plus(Duration.ofDays(7))
        val notice = assistant.inspections.issueRectification(
            inspection,
            RectificationDraft(id = null, itemId = "drains", place = garden, problem = "更换破损井盖", responsibleParty = "市政维修队", dueAt = week),
        )
        assertEquals(RectificationStatus.AWAITING_RECTIFICATION, assistant.rectifications[notice].status)
        // Nothing reported yet: there is nothing to re-inspect.
        try {
            assistant.rectifications.reinspect(notice, Reinspection.Passed(note = ""))
            fail("re-inspected before any report")
        } catch (e: RoundsException) {
            assertTrue(e.toString(), e.message!!.isNotEmpty())
        }

        val reportId = app.rounds.ffi.newRecordId()
        assistant.rectifications.reportDone(notice, "已更换井盖", listOf("jpeg of the new cover".toByteArray()), reportId = reportId)
        // The same report again (a retry after a lost answer) reports once.
        assistant.rectifications.reportDone(notice, "已更换井盖", reportId = reportId)
        assertEquals(1u, assistant.rectifications[notice].reports)

        val blank = runCatching {
            assistant.rectifications.reinspect(notice, Reinspection.Again(reason = " ", dueAt = week))
        }.exceptionOrNull()
        assertTrue("a second round needs a reason: $blank", blank is RoundsException)
        assistant.rectifications.reinspect(notice, Reinspection.Again(reason = "井盖尺寸不符", dueAt = week.plus(Duration.ofDays(3))))
        val again = assistant.rectifications[notice]
        assertEquals(RectificationStatus.SECOND_RECTIFICATION, again.status)
        assertEquals(1u, again.secondRounds)
        assertEquals("二次整改", again.statusLabel.zh)

        assistant.rectifications.reportDone(notice, "已换成合适尺寸的井盖")
        assistant.rectifications.reinspect(notice, Reinspection.Passed(note = "复查合格"))
        assertEquals(RectificationStatus.RECTIFIED, assistant.rectifications[notice].status)

        val report = assistant.sync()
        assertTrue(report.refused.toString(), report.refused.isEmpty())
        assertEquals("rectified", DemoServer.officeViewStatus(assistant.credentials!!.token, "rectifications", notice.value))
    }
}

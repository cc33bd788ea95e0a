package app.rounds

import app.rounds.ffi.ComplaintRequest
import app.rounds.ffi.ComplaintStatus
import app.rounds.ffi.Contact
import app.rounds.ffi.OrderRequest
import app.rounds.ffi.OrderSource
import app.rounds.ffi.Place
import app.rounds.ffi.Role
import app.rounds.ffi.RoundsException
import app.rounds.ffi.SourceKind
import app.rounds.ffi.StaffMember
import app.rounds.ffi.WorkRecord
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import java.nio.file.Files
import java.time.Duration
import java.time.Instant

/**
 * The field steps after the happy path, on one phone passed between people
 * (no server): a technician asks for more time and the head decides; a
 * complaint whose repair is still being worked cannot be called resolved
 * until the technician has finished, while its answer meets the 24-hour clock.
 */
class FieldStepsTest {
    private val phone = Files.createTempDirectory("rounds-field").toFile()
    private val opened = mutableListOf<RoundsSession>()

    @After
    fun tearDown() {
        opened.forEach { it.close() }
        phone.deleteRecursively()
    }

    private fun signIn(id: String, name: String, role: Role) =
        RoundsSession.open(phone, storeKeyOf(phone), StaffMember(id, name, role, listOf("e1"))).also { opened += it }

    private fun leak(id: OrderId = OrderId.new()) = OrderRequest(
        id = id.value,
        source = OrderSource(kind = SourceKind.RESIDENT_REQUEST),
        category = "pipe_leak",
        place = Place(estateId = "e1", unitId = "u-3-1-502"),
        resident = Contact(name = "李强", phone = "13600136000"),
        content = "厨房水管漏水",
    )

    /** The technician takes the order from dispatch to completed. */
    private fun finish(tech: RoundsSession, id: OrderId) {
        tech.orders.accept(id)
        tech.orders.startWork(id)
        val started = tech.orders[id].work.startedAt!!
        tech.orders.recordWork(id, WorkRecord(workDone = "更换水管接头", startedAt = started, endedAt = started.plus(Duration.ofMinutes(40)), prepMinutes = 10))
        tech.orders.complete(id)
    }

    @Test
    fun aTechnicianAsksForMoreTimeAndTheHeadDecidesOnThePhone() {
        val desk = signIn("r1", "王芳", Role.RECEPTIONIST)
        val id = desk.orders.register(leak())
        desk.orders.dispatch(id, "t1")
        val due = desk.orders[id].dueAt

        val tech = signIn("t1", "张师傅", Role.TECHNICIAN)
        tech.orders.accept(id)
        tech.orders.startWork(id)
        val until = due.plus(Duration.ofDays(2))
        val blank = runCatching { tech.orders.requestExtension(id, until, reason = " ") }.exceptionOrNull()
        assertTrue("an extension needs its reason: $blank", blank is RoundsException)
        val approval = tech.orders.requestExtension(id, until, reason = "配件需订购", extensionId = "x1")
        val asked = tech.orders[id].extensions.single()
        assertEquals("配件需订购", asked.reason)
        assertEquals(approval.approver, asked.approver)
        assertEquals(null, asked.approved)
        assertEquals("the deadline holds until someone decides", due, tech.orders[id].dueAt)
        if (approval.needsResidentConsent) tech.orders.recordResidentConsent(id, "x1", consent = true)

        val head = signIn("h1", "刘主管", Role.DIRECTOR)
        head.orders.decideExtension(id, "x1", approve = true)
        val decided = head.orders[id]
        assertEquals(true, decided.extensions.single().approved)
        assertEquals(until, decided.dueAt)
    }

    @Test
    fun aComplaintIsResolvedOnlyOnceItsRepairIsDone() {
        val desk = signIn("r1", "王芳", Role.RECEPTIONIST)
        val complaint = desk.complaints.receive(
            ComplaintRequest(
                resident = Contact(name = "李强", phone = "13600136000"),
                place = Place(estateId = "e1", unitId = "u-3-1-502"),
                subject = "楼上漏水",
                content = "楼上卫生间漏水到我家",
                atFrontDesk = true,
            ),
        )
        desk.complaints.dispatch(complaint, "engineering")
        val order = desk.complaints.openOrder(complaint, leak())
        desk.orders.dispatch(order, "t1")
        desk.complaints.answer(complaint, "已派维修,明天上门")

        try {
            desk.complaints.resolve(complaint, "已修好")
            fail("resolved while its repair was still open")
        } catch (e: RoundsException.NotAllowed) {
            assertTrue(e.messageZh, e.messageZh.contains("尚未完工"))
            assertTrue(e.messageEn, e.messageEn.contains(order.value))
        }
        assertEquals(ComplaintStatus.DISPATCHED, desk.complaints[complaint].status)

        finish(signIn("t1", "张师傅", Role.TECHNICIAN), order)
        desk.complaints.resolve(complaint, "已修好楼上防水")
        assertEquals(ComplaintStatus.RESOLVED, desk.complaints[complaint].status)
        assertEquals(listOf(order.value), desk.complaints[complaint].orderIds)
    }
}

package app.rounds

import app.rounds.ffi.Contact
import app.rounds.ffi.InspectionStatus
import app.rounds.ffi.ItemResult
import app.rounds.ffi.Material
import app.rounds.ffi.OrderRequest
import app.rounds.ffi.OrderSource
import app.rounds.ffi.OrderStatus
import app.rounds.ffi.Place
import app.rounds.ffi.RecordKind
import app.rounds.ffi.RevisitAnswer
import app.rounds.ffi.RevisitStatus
import app.rounds.ffi.Role
import app.rounds.ffi.RoundsException
import app.rounds.ffi.Satisfaction
import app.rounds.ffi.SignOffValidity
import app.rounds.ffi.SourceKind
import app.rounds.ffi.StaffMember
import app.rounds.ffi.VisitMethod
import app.rounds.ffi.WorkRecord
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import java.io.File
import java.nio.file.Files
import java.time.Duration
import java.time.Instant
import java.util.Locale

/**
 * A technician's day through the Kotlin library, against the .so built from
 * this checkout. The first story runs against a real rounds-server started by
 * the test ([DemoServer]): each person on their own phone, signed in with the
 * demo accounts, synced through the server, the office query showing the
 * result. The others are the same steps on one phone without a server.
 */
class TechnicianDayTest {
    private lateinit var phone: File
    private val opened = mutableListOf<RoundsSession>()

    @Before
    fun setUp() {
        phone = Files.createTempDirectory("rounds-phone").toFile()
    }

    @After
    fun tearDown() {
        opened.forEach { it.close() }
        phone.deleteRecursively()
        phones.forEach { it.deleteRecursively() }
    }

    /** A phone of its own, signed in to the demo server as [username]. */
    private fun phoneOf(username: String): RoundsSession {
        val dir = Files.createTempDirectory("rounds-$username").toFile().also { phones += it }
        return RoundsSession.signIn(dir, storeKeyOf(dir), DemoServer.base, username, DemoServer.PASSWORD, "$username's phone").also { opened += it }
    }

    private val phones = mutableListOf<File>()

    private fun signIn(id: String, name: String, role: Role, estates: List<String> = listOf("e1")) =
        RoundsSession.open(phone, storeKeyOf(phone), StaffMember(id, name, role, estates)).also { opened += it }

    private fun doorLockRequest(id: OrderId, estate: String = "e1") = OrderRequest(
        id = id.value,
        source = OrderSource(kind = SourceKind.RESIDENT_REQUEST),
        category = "door_lock",
        place = Place(estateId = estate, unitId = "u-3-1-502"),
        resident = Contact(name = "李强", phone = "13600136000"),
        content = "卫生间门锁坏了",
    )

    @Test
    fun aTechniciansDayFromAPatrolDefectToTheOfficeList() {
        // Morning, in the office: the technician signs in. Who he is, his role
        // and his estate come from the server's account.
        val tech = phoneOf("tech")
        assertEquals("张伟", tech.staff.name)
        assertEquals(Role.TECHNICIAN, tech.staff.role)
        assertEquals(listOf(DemoServer.ESTATE), tech.staff.estates)
        val morning = tech.sync()
        assertTrue("the estate's records arrive", morning.recordsReceived > 0u)
        assertTrue("nothing waits to go up", tech.syncIndicator().allSent)

        // In the basement of building 1 there is no signal. The building
        // checklist from the server is on the phone all the same.
        val basement = RoundsSession.resume(phones.first(), storeKeyOf(phones.first()), tech.credentials!!.copy(serverUrl = "http://127.0.0.1:9"))
            .also { opened += it }
        val checklist = basement.inspections.checklists().first { it.category == "building_patrol" }
        val unit = "${DemoServer.ESTATE}-1-1-301"
        val inspection = basement.inspections.start(checklist.id, Place(estateId = DemoServer.ESTATE, unitId = unit, detail = "1栋1单元3楼"))
        assertEquals(InspectionStatus.IN_PROGRESS, basement.inspections[inspection].status)
        // Submitting with items left unchecked is refused and says which.
        val unchecked = refused<RoundsException.Incomplete> { basement.inspections.submit(inspection) }
        assertTrue(unchecked.missing, unchecked.missing.contains("roof"))
        for (item in basement.inspections[inspection].items.filter { it.id != "walls" }) {
            basement.inspections.record(inspection, item.id, ItemResult.OK)
        }
        basement.inspections.record(inspection, "walls", ItemResult.DEFECT, "301门口天花渗水")
        val leakPhoto = "jpeg of the wet ceiling".toByteArray()
        val photoHash = basement.inspections.addPhoto(inspection, "walls", leakPhoto)
        val order = basement.inspections.openOrder(
            inspection,
            "walls",
            OrderRequest(
                source = OrderSource(kind = SourceKind.PATROL_FINDING),
                category = "pipe_leak",
                place = Place(estateId = DemoServer.ESTATE, unitId = unit),
                resident = Contact(name = "住户1131", phone = "13800131310"),
                content = "301门口天花渗水",
            ),
        )
        assertEquals(order.value, basement.inspections[inspection].items.single { it.id == "walls" }.followUpId)
        basement.inspections.submit(inspection)

        // Trying to sync down here fails as offline, and says what waits.
        refused<RoundsException.Offline> { basement.sync() }
        val waiting = basement.syncIndicator()
        assertEquals(2u, waiting.waiting.records) // the inspection and the order
        assertEquals(1u, waiting.waiting.attachments) // the photo of the ceiling
        assertEquals("离线 · 2条记录、1张照片或签字待上传", waiting.zh)
        assertEquals("Offline · 2 records and 1 photo or signature waiting to go up", waiting.en)

        // Back upstairs, the phone syncs: the records and the photo go up.
        val upstairs = tech.sync()
        assertEquals(2u, upstairs.recordsSent)
        assertEquals(1u, upstairs.attachmentsSent)
        assertTrue(upstairs.refused.toString(), upstairs.refused.isEmpty())
        assertTrue(tech.syncIndicator().allSent)
        assertEquals("已全部上传", tech.syncIndicator().zh)

        // Reception, on the front desk's phone, sees the order with its
        // photo and sends the technician.
        val desk = phoneOf("reception")
        desk.sync()
        assertEquals(OrderStatus.REGISTERED, desk.orders[order].status)
        assertEquals(listOf(photoHash), desk.orders[order].photos.map { it.hash })
        assertEquals("jpeg of the wet ceiling", String(desk.orders.attachment(photoHash).bytes))
        desk.orders.dispatch(order, tech.staff.id)
        desk.sync()

        // The technician gets the dispatch and does the repair.
        tech.sync()
        assertEquals("dispatched", tech.myTasks().single { it.id == order.value }.status)
        tech.orders.accept(order)
        tech.orders.startWork(order)
        tech.orders.addMaterial(order, Material(id = "m1", name = "防水胶", quantity = 1.0, unit = "支", unitPriceFen = 2_500))
        val started = tech.orders[order].work.startedAt!!
        tech.orders.recordWork(order, WorkRecord(workDone = "更换楼上渗漏的水管接头,天花晾干", startedAt = started, endedAt = started.plus(Duration.ofMinutes(90))))
        tech.orders.complete(order)
        val signaturePng = "png strokes of 住户1131".toByteArray()
        val signOff = tech.orders.signOff(order, "住户1131", signaturePng)
        assertEquals(2u, tech.pendingUpload().records) // the order, and the revisit the rules planned
        assertEquals(2u, tech.pendingUpload().attachments) // the ceiling photo and the signature
        val evening = tech.sync()
        assertEquals(1u, evening.attachmentsSent) // the photo was already there
        assertTrue(tech.syncIndicator().allSent)

        // The supervisor's phone, signed in for the first time, receives the
        // signed order with the signature image, and the sign-off holds.
        val head = phoneOf("supervisor")
        head.sync()
        val arrived = head.orders[order]
        assertEquals(OrderStatus.SIGNED_OFF, arrived.status)
        assertEquals(SignOffValidity.VALID, head.orders.signOffValidity(order))
        assertEquals(tech.deviceId, arrived.signoff!!.deviceId)
        assertEquals("png strokes of 住户1131", String(head.orders.attachment(signOff.signatureImage).bytes))
        assertEquals(listOf("防水胶"), arrived.materials.map { it.name })
        assertEquals(inspection.value, arrived.source.recordId)

        // The office list on the server shows the order signed off.
        val receptionToken = desk.credentials!!.token
        assertEquals("signed_off", DemoServer.officeStatus(receptionToken, order.value))
    }

    @Test
    fun aTechniciansDayFromRequestToSignedAcceptance() {
        // Reception registers the resident's call. A double tap on submit
        // sends the same id twice: still one order.
        val desk = signIn("r1", "王芳", Role.RECEPTIONIST)
        val id = OrderId.new()
        assertEquals(id, desk.orders.register(doorLockRequest(id)))
        assertEquals(id, desk.orders.register(doorLockRequest(id)))
        assertEquals(1, desk.unitHistory("u-3-1-502").size)

        val registered = desk.orders[id]
        assertEquals(OrderStatus.REGISTERED, registered.status)
        assertEquals("已登记", registered.statusLabel.zh)
        // A broken lock is due within 24 working hours, not the default three working days.
        assertEquals("working_day24h", registered.deadlineClass)
        assertTrue(registered.dueAt.isAfter(registered.receivedAt))

        desk.orders.dispatch(id, "t1")

        // The technician signs in on the same phone: the order is on today's list.
        val tech = signIn("t1", "张师傅", Role.TECHNICIAN)
        val today = tech.myTasks()
        assertEquals(listOf(id.value), today.map { it.id })
        assertEquals(RecordKind.WORK_ORDER, today.single().kind)
        assertEquals("dispatched", today.single().status)

        // Starting before accepting is refused, in both languages.
        val early = refused<RoundsException.NotAllowed> { tech.orders.startWork(id) }
        assertEquals("不能从“dispatched”改为“in_progress”", early.messageZh)
        assertEquals("cannot go from dispatched to in_progress", early.messageEn)
        assertEquals("the code the server answers for the same refusal", "conflict", early.code)
        assertEquals(early.messageZh, early.messageFor(Locale.SIMPLIFIED_CHINESE))
        assertEquals(early.messageEn, early.messageFor(Locale.UK))

        tech.orders.accept(id)
        tech.orders.quote(id, fen = 8_000) // a paid service: quoted before work starts
        tech.orders.startWork(id)
        assertNotNull(tech.orders[id].work.startedAt)

        tech.orders.addMaterial(id, Material(id = "m1", name = "锁芯", quantity = 1.0, unit = "个", unitPriceFen = 4_500))
        val photoFile = File(phone, "camera-0001.jpg").apply { writeBytes("jpeg bytes of the old lock".toByteArray()) }
        val photoHash = tech.orders.addPhoto(id, photoFile, caption = "旧锁芯", photoId = "p1")
        assertEquals("jpeg bytes of the old lock", String(tech.orders.attachment(photoHash).bytes))

        // Completing without the work written up is refused and says what is missing.
        val incomplete = refused<RoundsException.Incomplete> { tech.orders.complete(id) }
        assertTrue(incomplete.missing, incomplete.missing.contains("work_done"))
        assertTrue(incomplete.messageZh, incomplete.messageZh.contains("维修内容"))

        val started = tech.orders[id].work.startedAt!!
        tech.orders.recordWork(
            id,
            WorkRecord(workDone = "更换锁芯", startedAt = started, endedAt = started.plus(Duration.ofMinutes(60)), prepMinutes = 15),
        )
        tech.orders.charge(id, materialsFeeFen = 4_500, labourFeeFen = 3_500)
        val revisit = tech.orders.complete(id)

        // The resident signs on the pad.
        val signatureFile = File(phone, "signature.png").apply { writeBytes("png strokes of the signature".toByteArray()) }
        val signOff = tech.orders.signOff(id, "李强", signatureFile)
        assertEquals("李强", signOff.residentName)
        assertEquals(tech.deviceId, signOff.deviceId)

        val done = tech.orders[id]
        assertEquals(OrderStatus.SIGNED_OFF, done.status)
        assertEquals(SignOffValidity.VALID, tech.orders.signOffValidity(id))
        assertEquals("签字有效", done.signoffLabel.zh)
        assertEquals(Duration.ofMinutes(75), done.totalTime)
        assertEquals("¥80.00", formatYuan(done.fees.materialsFeeFen + done.fees.labourFeeFen))
        assertEquals(listOf("锁芯"), done.materials.map { it.name })
        assertEquals(listOf("旧锁芯"), done.photos.map { it.caption })
        assertEquals(listOf(revisit.value), done.revisitIds)
        assertEquals("signed_off", tech.myTasks().single { it.id == id.value }.status)

        // The revisit the rules owe is on reception's list (reception registered the order).
        assertTrue(desk.dueRevisits(withinDays = 7).any { it.id == revisit.value })
        assertTrue(desk.overdue(RecordKind.WORK_ORDER).isEmpty())
    }

    @Test
    fun theHeadReviewsAndReceptionRevisitsAndCloses() {
        val desk = signIn("r1", "王芳", Role.RECEPTIONIST)
        val tech = signIn("t1", "张师傅", Role.TECHNICIAN)
        val head = signIn("s1", "赵主管", Role.SUPERVISOR)
        val id = desk.orders.register(doorLockRequest(OrderId.new()))
        desk.orders.dispatch(id, "t1")
        tech.orders.accept(id)
        tech.orders.startWork(id)
        val started = tech.orders[id].work.startedAt!!
        tech.orders.recordWork(id, WorkRecord(workDone = "更换锁芯", startedAt = started, endedAt = started.plusSeconds(1800)))
        val revisit = tech.orders.complete(id)
        tech.orders.signOff(id, "李强", "png".toByteArray())

        // Only a head reviews.
        refused<RoundsException.NotAllowed> { desk.orders.review(id, "ok") }
        head.orders.review(id, "工料费用核对无误")

        // An in-person revisit needs the resident's signature.
        val inPerson = RevisitAnswer(method = VisitMethod.IN_PERSON, satisfaction = Satisfaction.SATISFIED, residentName = "李强")
        refused<RoundsException.Incomplete> { desk.revisits.record(revisit, inPerson) }
        // A dissatisfied answer needs the resident's words.
        val unhappy = RevisitAnswer(method = VisitMethod.PHONE, satisfaction = Satisfaction.DISSATISFIED)
        assertEquals("comments", refused<RoundsException.InvalidInput> { desk.revisits.record(revisit, unhappy) }.field)

        desk.revisits.record(revisit, inPerson, signaturePng = "resident png".toByteArray())
        val visited = desk.revisits[revisit]
        assertEquals(RevisitStatus.DONE, visited.status)
        assertNotNull(visited.signatureImage)
        assertEquals(OrderStatus.REVISITED, desk.orders[id].status)

        desk.orders.close(id)
        assertEquals(OrderStatus.CLOSED, desk.orders[id].status)
        assertTrue(desk.myTasks().isEmpty())
    }

    @Test
    fun staffSeeNothingOfAnEstateTheyDoNotWorkOn() {
        val desk = signIn("r1", "王芳", Role.RECEPTIONIST)
        val refusal = refused<RoundsException.NotAllowed> { desk.orders.register(doorLockRequest(OrderId.new(), estate = "e2")) }
        assertTrue(refusal.messageZh, refusal.messageZh.contains("无权访问"))
        assertTrue(refusal.messageEn, refusal.messageEn.contains("e2"))

        val other = signIn("r2", "刘前台", Role.RECEPTIONIST, estates = listOf("e2"))
        val id = desk.orders.register(doorLockRequest(OrderId.new()))
        refused<RoundsException.NotAllowed> { other.orders[id] }
        assertTrue(other.unitHistory("u-3-1-502").isEmpty())
    }

    @Test
    fun aHomeVisitFindsAProblemAndOpensAnOrder() {
        val assistant = signIn("a1", "陈助理", Role.PROPERTY_ASSISTANT)
        val visit = assistant.revisits.planHomeVisit(
            Place(estateId = "e1", unitId = "u-1-2-302"),
            assignee = "a1",
            due = Instant.now().plus(Duration.ofDays(3)),
        )
        assertTrue(assistant.myTasks().any { it.id == visit.value })
        val order = assistant.revisits.openOrder(
            visit,
            OrderRequest(
                source = OrderSource(kind = SourceKind.STAFF),
                category = "pipe_leak",
                place = Place(estateId = "e1", unitId = "u-1-2-302"),
                resident = Contact(name = "周敏"),
                content = "厨房水管接头渗水",
            ),
        )
        assertEquals(order.value, assistant.revisits[visit].openedOrderId)
        assertEquals(visit.value, assistant.orders[order].source.recordId)
    }

    @Test
    fun amountsInYuan() {
        assertEquals(8_050L, parseYuan("80.5"))
        assertEquals(8_000L, parseYuan("¥80"))
        assertEquals(null, parseYuan("80.005"))
        assertEquals(null, parseYuan("-1"))
        assertEquals("¥0.05", formatYuan(5))
    }
}

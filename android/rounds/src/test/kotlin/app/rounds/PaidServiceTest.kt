package app.rounds

import app.rounds.ffi.Contact
import app.rounds.ffi.OrderRequest
import app.rounds.ffi.OrderSource
import app.rounds.ffi.PaymentMethod
import app.rounds.ffi.Place
import app.rounds.ffi.QuotePick
import app.rounds.ffi.RoundsException
import app.rounds.ffi.SourceKind
import app.rounds.ffi.WorkRecord
import app.rounds.ffi.paymentMethodLabel
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File
import java.nio.file.Files
import java.time.Duration

/**
 * A paid service (有偿服务) on the technician's phone against the demo server:
 * the company's price list arrives by sync, the job is quoted from it before
 * work (a negotiated item needs its agreed price), and the fee is taken at
 * completion with its receipt, once; the office then reads what was quoted
 * and collected.
 */
class PaidServiceTest {
    private val dirs = mutableListOf<File>()
    private val opened = mutableListOf<RoundsSession>()

    @After
    fun tearDown() {
        opened.forEach { it.close() }
        dirs.forEach { it.deleteRecursively() }
    }

    private fun phoneOf(username: String): RoundsSession {
        val dir = Files.createTempDirectory("rounds-paid").toFile().also { dirs += it }
        return RoundsSession.signIn(dir, storeKeyOf(dir), DemoServer.base, username, DemoServer.PASSWORD, "$username's phone")
            .also { opened += it }
    }

    @Test
    fun aPaidJobIsQuotedFromThePriceListAndItsFeeTakenOnce() {
        val desk = phoneOf("reception")
        desk.sync()
        val id = desk.orders.register(
            OrderRequest(
                source = OrderSource(kind = SourceKind.RESIDENT_REQUEST),
                category = "general",
                place = Place(estateId = DemoServer.ESTATE, unitId = "e-sunshine-1-1-101"),
                resident = Contact(name = "王女士", phone = "13800138000"),
                content = "更换门锁锁芯(有偿)",
                paidService = true,
            ),
        )
        desk.orders.dispatch(id, "s-tech")
        desk.sync()

        val tech = phoneOf("tech")
        tech.sync()
        val list = tech.orders.priceList()
        val lock = list.single { it.id == "P-07" }
        assertEquals("更换门锁锁芯", lock.nameZh)
        assertEquals("a wall repair is priced on site", null, list.single { it.id == "P-08" }.priceFen)

        tech.orders.accept(id)
        val noPrice = runCatching { tech.orders.quoteFromList(id, listOf(QuotePick(itemId = "P-08", quantity = 1u))) }
            .exceptionOrNull()
        assertTrue("a negotiated item needs its price: $noPrice", noPrice is RoundsException)
        assertTrue((noPrice as RoundsException).messageZh, noPrice.messageZh.contains("议定价格"))
        val total = tech.orders.quoteFromList(
            id,
            listOf(QuotePick(itemId = "P-07", quantity = 1u), QuotePick(itemId = "P-08", quantity = 1u, negotiatedFen = 2_000)),
        )
        assertEquals(lock.priceFen!! + 2_000, total)
        assertEquals(listOf("P-07", "P-08"), tech.orders[id].fees.quoteLines.map { it.itemId })

        tech.orders.startWork(id)
        val started = tech.orders[id].work.startedAt!!
        tech.orders.recordWork(id, WorkRecord(workDone = "更换锁芯,修补门边墙面", startedAt = started, endedAt = started.plus(Duration.ofMinutes(50)), prepMinutes = 10))
        tech.orders.charge(id, materialsFeeFen = 12_000, labourFeeFen = 5_000)
        val early = runCatching { tech.orders.collectFee(id, 17_000, PaymentMethod.WECHAT, "SJ-K-1") }.exceptionOrNull()
        assertTrue("a fee is taken once the work is finished: $early", early is RoundsException)
        tech.orders.complete(id)
        val tooMuch = runCatching { tech.orders.collectFee(id, 17_001, PaymentMethod.WECHAT, "SJ-K-1") }.exceptionOrNull()
        assertTrue("never more than charged: $tooMuch", tooMuch is RoundsException)
        tech.orders.collectFee(id, 17_000, PaymentMethod.WECHAT, "SJ-K-1")
        val again = runCatching { tech.orders.collectFee(id, 1, PaymentMethod.CASH, "SJ-K-2") }.exceptionOrNull()
        assertTrue("never twice: $again", again is RoundsException)

        val fees = tech.orders[id].fees
        assertEquals(17_000L, fees.chargedFen)
        assertEquals(17_000L, fees.collectedFen)
        assertEquals(PaymentMethod.WECHAT, fees.paymentMethod)
        assertEquals("s-tech", fees.collectedBy)
        assertEquals("微信支付", paymentMethodLabel(PaymentMethod.WECHAT).zh)

        tech.sync()
        val (code, body) = DemoServer.get(DemoServer.base, "/v1/orders/${id.value}", desk.credentials!!.token)
        assertEquals(body, 200, code)
        assertTrue(body, body.contains("\"collected_fen\":17000"))
        assertTrue(body, body.contains("\"receipt_no\":\"SJ-K-1\""))
        assertTrue(body, body.contains("\"quoted_fen\":${lock.priceFen!! + 2_000}"))
    }
}

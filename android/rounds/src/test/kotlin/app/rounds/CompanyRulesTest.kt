package app.rounds

import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File
import java.nio.file.Files
import java.time.DayOfWeek
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId

/**
 * The company's rules file reaches the phone: a server started with a rules
 * file that shortens a general repair to two working days and replaces the
 * calendar with one whose next three weekdays are the company's holidays
 * ([DemoServer.startWithRules]). Before its first sync the phone counts the
 * manuals' three working days of the shipped calendar; after it, the
 * company's, the same deadline the office is told.
 */
class CompanyRulesTest {
    private val zone = ZoneId.of("Asia/Shanghai")
    private val dirs = mutableListOf<File>()
    private val opened = mutableListOf<RoundsSession>()

    @After
    fun tearDown() {
        opened.forEach { it.close() }
        dirs.forEach { it.deleteRecursively() }
    }

    private fun tempDir(prefix: String) = Files.createTempDirectory(prefix).toFile().also { dirs += it }

    private fun LocalDate.isWeekend() = dayOfWeek == DayOfWeek.SATURDAY || dayOfWeek == DayOfWeek.SUNDAY

    /** The end of the [n]-th day after [from] that is neither a weekend nor a holiday: counted here by hand. */
    private fun endOfWorkingDay(from: LocalDate, n: Int, holidays: List<LocalDate>): Instant =
        generateSequence(from.plusDays(1)) { it.plusDays(1) }
            .filter { !it.isWeekend() && it !in holidays }
            .elementAt(n - 1)
            .plusDays(1).atStartOfDay(zone).toInstant()

    @Test
    fun afterSyncThePhoneCountsTheCompanysDeadlineAsTheOfficeDoes() {
        val received = Instant.now()
        val today = received.atZone(zone).toLocalDate()
        val holidays = generateSequence(today.plusDays(1)) { it.plusDays(1) }.filter { !it.isWeekend() }.take(3).toList()
        val files = tempDir("rounds-rules")
        File(files, "calendar.json").writeText(
            """{"name": "公司日历 / the company's calendar", "years": [${today.year}, ${today.year + 1}], "holidays": [""" +
                holidays.joinToString(",") { """{"date": "$it", "name_zh": "公司假日", "name_en": "company holiday"}""" } +
                "]}",
        )
        val rules = File(files, "rules.json").apply {
            writeText("""{"repairs": {"standard_working_days": 2}, "calendar": "calendar.json"}""")
        }
        val base = DemoServer.startWithRules(rules)
        val phoneDir = tempDir("rounds-phone")
        val phone = RoundsSession.signIn(phoneDir, storeKeyOf(phoneDir), base, "reception", DemoServer.PASSWORD, "前台手机").also { opened += it }

        val manuals = phone.rulesInForce()
        assertFalse("before the first sync: the manuals' rules", manuals.calendar.fromCompany)
        assertEquals(3u, manuals.standardRepairWorkingDays)

        phone.sync()
        val company = phone.rulesInForce()
        assertTrue("the sync brought the company's rules", company.calendar.fromCompany)
        assertEquals(2u, company.standardRepairWorkingDays)
        assertEquals("deadlines are shown in the company's zone", "Asia/Shanghai", company.timeZone)
        assertEquals(listOf(today.year, today.year + 1), company.calendar.years)
        assertNull("this year is covered, nothing provisional", company.calendar.behindZh)

        val expected = endOfWorkingDay(today, 2, holidays)
        assertEquals("two working days, skipping the company's holidays $holidays", expected, phone.repairDue("general", received))

        val token = phone.credentials!!.token
        val (code, saved) = DemoServer.post(
            base, "/v1/orders", token,
            """{"estate_id": "${DemoServer.ESTATE}", "unit_id": "e-sunshine-1-1-101", "resident_name": "王女士",
               "phone": "13800138000", "content": "卧室窗户关不严", "category": "general", "emergency": false,
               "received_at": ${received.toEpochMilli()}}""",
        )
        assertEquals(saved, 201, code)
        val office = Regex("\"due_at\":(\\d+)").find(saved)!!.groupValues[1].toLong()
        assertEquals("the office is told the same deadline", expected.toEpochMilli(), office)
    }
}

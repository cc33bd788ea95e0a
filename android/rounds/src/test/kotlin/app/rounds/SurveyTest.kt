package app.rounds

import app.rounds.ffi.RoundsException
import app.rounds.ffi.Satisfaction
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File
import java.nio.file.Files

/**
 * A satisfaction survey's form collected at the door: the office opens a
 * survey of two households and sends the forms; the technician's phone
 * finds it collecting, records the first household's ratings (a retried
 * tap records once, a form missing an item is refused), and after the sync
 * the office counts the form.
 */
class SurveyTest {
    private val dirs = mutableListOf<File>()
    private val opened = mutableListOf<RoundsSession>()

    @After
    fun tearDown() {
        opened.forEach { it.close() }
        dirs.forEach { it.deleteRecursively() }
    }

    private fun phoneOf(username: String): RoundsSession {
        val dir = Files.createTempDirectory("rounds-$username").toFile().also { dirs += it }
        return RoundsSession.signIn(dir, storeKeyOf(dir), DemoServer.base, username, DemoServer.PASSWORD, "$username's phone").also { opened += it }
    }

    @Test
    fun aHouseholdsFormIsCollectedAtTheDoorAndCountedInTheOffice() {
        val desk = phoneOf("reception")
        val token = desk.credentials!!.token
        val id = SurveyId.new()
        val open = """{"id":"$id","estate_id":"${DemoServer.ESTATE}","title":"电梯服务专题调查","occasion":"special",
            "items":[{"id":"lift","name":"电梯运行"},{"id":"repairs","name":"维修服务"}],"sample_size":2}"""
        val (opened, body) = DemoServer.post(DemoServer.base, "/v1/surveys", token, open)
        assertEquals(body, 201, opened)
        val (sent, sentBody) = DemoServer.post(DemoServer.base, "/v1/surveys/$id/send", token, "{}")
        assertEquals(sentBody, 200, sent)

        val tech = phoneOf("tech")
        tech.sync()
        assertTrue("the survey is collecting on the phone", tech.surveys.collecting().any { it.id == id.value })
        val survey = tech.surveys[id]
        assertTrue(survey.collecting)
        assertEquals("回收中", survey.statusLabel.zh)
        assertEquals(listOf("lift", "repairs"), survey.items.map { it.id })
        assertEquals(2, survey.households.size)
        assertFalse(survey.households.any { it.returned })

        val household = survey.households.first().unitId
        val missing = runCatching {
            tech.surveys.recordForm(id, household, mapOf("lift" to Satisfaction.SATISFIED))
        }.exceptionOrNull()
        assertTrue("every item is rated: $missing", missing is RoundsException)

        val formId = app.rounds.ffi.newRecordId()
        val ratings = mapOf("lift" to Satisfaction.DISSATISFIED, "repairs" to Satisfaction.VERY_SATISFIED)
        tech.surveys.recordForm(id, household, ratings, "电梯经常停运", formId = formId)
        // The same tap again (a retry) records once.
        tech.surveys.recordForm(id, household, ratings, "电梯经常停运", formId = formId)
        val after = tech.surveys[id]
        assertEquals(1u, after.returned)
        assertTrue(after.households.first { it.unitId == household }.returned)

        val report = tech.sync()
        assertTrue(report.refused.toString(), report.refused.isEmpty())
        val (code, view) = DemoServer.get(DemoServer.base, "/v1/surveys/$id", token)
        assertEquals(view, 200, code)
        assertTrue(view, view.contains("\"returned\":1"))
        assertTrue(view, view.contains("\"via\":\"door\""))
    }
}

package app.rounds

import app.rounds.ffi.RoundsException
import app.rounds.ffi.SyncJob
import app.rounds.ffi.SyncProgress
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import java.io.File
import java.nio.file.Files
import java.util.Collections
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit

/**
 * Syncing as a field worker lives it: a first sync on a new phone shows its
 * progress, can be stopped with the stop button while the screens stay usable,
 * and the next sync brings the rest. Against the demo server ([DemoServer]).
 */
class SyncTest {
    private val opened = mutableListOf<RoundsSession>()
    private val dirs = mutableListOf<File>()

    @After
    fun tearDown() {
        opened.forEach { it.close() }
        dirs.forEach { it.deleteRecursively() }
    }

    private fun newPhone(): File = Files.createTempDirectory("rounds-sync").toFile().also { dirs += it }

    private fun phoneOf(username: String, dir: File = newPhone()) =
        RoundsSession.signIn(dir, storeKeyOf(dir), DemoServer.base, username, DemoServer.PASSWORD, "$username's phone").also { opened += it }

    @Test
    fun aFirstSyncShowsItsProgressRoundByRound() {
        val assistant = phoneOf("assistant")
        val seen = Collections.synchronizedList(mutableListOf<SyncProgress>())
        val report = assistant.sync { seen += it }

        // The demo estate holds dozens of records and the server pages ten at
        // a time: the bar moves several times, never backwards, and ends where
        // the report does.
        assertTrue("progress was told ${seen.size} times", seen.size >= 3)
        val received = seen.map { it.recordsReceived }
        assertEquals(received.sorted(), received)
        assertEquals(report.recordsReceived, seen.last().recordsReceived)
        assertEquals(0u, seen.last().recordsWaiting)
        assertTrue(assistant.dueRevisits(withinDays = 3650).isNotEmpty())
        assertTrue(assistant.syncIndicator().allSent)
    }

    @Test
    fun theStopButtonStopsASyncAndTheNextOneBringsTheRest() {
        val phone = phoneOf("tech2")
        val job = SyncJob()
        val firstRound = CountDownLatch(1)
        val stopped = CountDownLatch(1)
        val worker = Executors.newSingleThreadExecutor()
        val background = worker.submit<Unit> {
            phone.sync(job) {
                firstRound.countDown()
                stopped.await(30, TimeUnit.SECONDS)
            }
        }
        assertTrue("the sync reported a first round", firstRound.await(60, TimeUnit.SECONDS))

        // While the sync waits in the middle, the screens still read the phone.
        val partial = phone.inspections.checklists().size + phone.myTasks().size
        job.cancel()
        stopped.countDown()
        try {
            background.get(60, TimeUnit.SECONDS)
            fail("a cancelled sync finished as if nothing happened")
        } catch (e: ExecutionException) {
            val cause = e.cause
            assertTrue("expected Cancelled, got $cause", cause is RoundsException.Cancelled)
            assertEquals("同步已取消", (cause as RoundsException).messageZh)
        } finally {
            worker.shutdown()
        }
        // A cancel is not a failure to show on the indicator.
        assertEquals(null, phone.syncIndicator().lastError)

        // What arrived stays; the next sync brings the rest and the lists fill.
        val rest = phone.sync()
        assertTrue(rest.recordsReceived > 0u)
        val full = phoneOf("tech2", newPhone())
        full.sync()
        assertEquals(full.inspections.checklists().map { it.id }.sorted(), phone.inspections.checklists().map { it.id }.sorted())
        assertEquals(full.myTasks().map { it.id }.sorted(), phone.myTasks().map { it.id }.sorted())
        assertTrue(partial < phone.inspections.checklists().size + phone.myTasks().size)
    }

    @Test
    fun aWrongPasswordIsRefusedInBothLanguages() {
        try {
            val phone = newPhone()
            RoundsSession.signIn(phone, storeKeyOf(phone), DemoServer.base, "tech", "wrong", "tech's phone")
            fail("signed in with a wrong password")
        } catch (e: RoundsException.SignedOut) {
            assertEquals("bad_login", e.code)
            assertEquals("用户名或密码错误", e.messageZh)
            assertEquals("wrong username or password", e.messageEn)
        }
    }

    @Test
    fun aPhoneThatNeverSignedInCannotSyncAndSaysSo() {
        val dir = newPhone()
        val phone = RoundsSession.open(dir, storeKeyOf(dir), app.rounds.ffi.StaffMember("t1", "张师傅", app.rounds.ffi.Role.TECHNICIAN, listOf("e1")))
            .also { opened += it }
        assertEquals(null, phone.credentials)
        assertFalse(phone.syncIndicator().signedIn)
        try {
            phone.sync()
            fail("synced without signing in")
        } catch (e: RoundsException.SignedOut) {
            assertEquals("not_signed_in", e.code)
        }
    }
}

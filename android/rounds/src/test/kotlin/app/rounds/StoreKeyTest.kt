package app.rounds

import app.rounds.ffi.RoundsException
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File
import java.nio.file.Files

/**
 * The phone's data at rest: the store is encrypted under a key the vault
 * keeps sealed by the platform's keystore ([TestKeyWrapper] here), and so is
 * the sign-in. Against the demo server ([DemoServer]).
 */
class StoreKeyTest {
    private val dirs = mutableListOf<File>()
    private val opened = mutableListOf<RoundsSession>()

    @After
    fun tearDown() {
        opened.forEach { it.close() }
        dirs.forEach { it.deleteRecursively() }
    }

    private fun newPhone(): File = Files.createTempDirectory("rounds-keys").toFile().also { dirs += it }

    /** tech2 signs in on the phone in [dir], keeps the sign-in, and syncs. */
    private fun signedIn(dir: File, vault: PhoneVault): RoundsSession {
        val session = RoundsSession.signIn(dir, vault.storeKey(), DemoServer.base, "tech2", DemoServer.PASSWORD, "tech2's phone")
            .also { opened += it }
        vault.saveSignIn(session.credentials!!)
        session.sync()
        return session
    }

    private fun holdings(s: RoundsSession) =
        s.inspections.checklists().map { it.id }.sorted() to s.myTasks().map { it.id }.sorted()

    @Test
    fun theStoreOpensWithItsOwnKeyOnlyAndKeepsTheSignedInSessionsData() {
        val dir = newPhone()
        val vault = PhoneVault(dir, TestKeyWrapper())
        val tech = signedIn(dir, vault)
        val held = holdings(tech)
        assertTrue("the sync brought the estate's checklists", held.first.isNotEmpty())
        val device = tech.deviceId
        tech.close()

        val wrong = refused<RoundsException.WrongStoreKey> {
            RoundsSession.resume(dir, ByteArray(32) { 7 }, vault.loadSignIn()!!).also { opened += it }
        }
        assertEquals("wrong_store_key", wrong.code)
        assertEquals("无法打开本机数据:密钥不对,或不是 Rounds 数据库", wrong.messageZh)
        assertEquals("cannot open this phone's data: wrong key or not a Rounds store", wrong.messageEn)
        val short = refused<RoundsException.InvalidInput> {
            RoundsSession.resume(dir, ByteArray(16), vault.loadSignIn()!!).also { opened += it }
        }
        assertEquals("store_key", short.field)

        // After the refusals, the phone's own key opens it as it was left.
        val again = RoundsSession.resume(dir, vault.storeKey(), vault.loadSignIn()!!).also { opened += it }
        assertEquals(device, again.deviceId)
        assertEquals(vault.loadSignIn()!!.staff, again.staff)
        assertEquals(held, holdings(again))
        assertTrue(again.syncIndicator().signedIn)
    }

    @Test
    fun neitherTheTokenNorTheRecordsAreOnDiskInTheClear() {
        val dir = newPhone()
        val vault = PhoneVault(dir, TestKeyWrapper())
        val tech = signedIn(dir, vault)
        val token = tech.credentials!!.token
        val name = tech.staff.name
        val key = vault.storeKey()
        val files = dir.walk().filter { it.isFile }.toList()
        assertTrue(files.map { it.name }.toString(), files.any { it.name == "rounds.sqlite3" })
        for (file in files) {
            val bytes = file.readBytes()
            assertFalse("${file.name} holds the token", bytes.holds(token.toByteArray()))
            assertFalse("${file.name} holds the name $name", bytes.holds(name.toByteArray()))
            assertFalse("${file.name} holds the store key", bytes.holds(key))
            assertFalse("${file.name} is plain SQLite", bytes.holds("SQLite format 3".toByteArray()))
        }
    }

    @Test
    fun aLostKeystoreKeyIsSaidAndTheNextSignInStartsAfresh() {
        val dir = newPhone()
        val before = signedIn(dir, PhoneVault(dir, TestKeyWrapper()))
        val held = holdings(before)
        val oldDevice = before.deviceId
        before.close()

        // The platform's keystore was reset: nothing sealed with it opens.
        val reset = PhoneVault(dir, TestKeyWrapper())
        val lost = refused<StoreKeyLostException> { reset.storeKey() }
        refused<StoreKeyLostException> { reset.loadSignIn() }
        assertTrue(lost.words.warning.zh, lost.words.warning.zh.contains("尚未同步的更改无法恢复"))
        assertTrue(lost.words.warning.en, lost.words.warning.en.contains("changes not yet synced cannot be recovered"))

        reset.startAfresh()
        assertNull(reset.loadSignIn())
        val after = signedIn(dir, reset)
        assertNotEquals("a new store is a new phone", oldDevice, after.deviceId)
        assertEquals("the server gave everything back", held, holdings(after))
    }
}

private fun ByteArray.holds(needle: ByteArray): Boolean =
    (0..size - needle.size).any { at -> needle.indices.all { this[at + it] == needle[it] } }

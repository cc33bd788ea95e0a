package app.rounds

import java.io.File
import java.nio.file.Files

/**
 * The phones one test signs in on the demo server, each with its own store
 * in a temporary directory; [close] (from the test's `@After`) closes them
 * and wipes their data.
 */
class Phones : AutoCloseable {
    private val dirs = mutableListOf<File>()
    private val opened = mutableListOf<RoundsSession>()
    private val dirOf = mutableMapOf<RoundsSession, File>()

    /** [username] signed in on a phone of their own. */
    fun of(username: String): RoundsSession {
        val dir = Files.createTempDirectory("rounds-$username").toFile().also { dirs += it }
        return RoundsSession.signIn(dir, storeKeyOf(dir), DemoServer.base, username, DemoServer.PASSWORD, "$username's phone")
            .also { opened += it; dirOf[it] = dir }
    }

    /**
     * [phone]'s own store, signed in as it is, where there is no signal: its
     * sync finds no server. [phone] itself syncs once back in range.
     */
    fun offline(phone: RoundsSession): RoundsSession {
        val dir = dirOf.getValue(phone)
        return RoundsSession.resume(dir, storeKeyOf(dir), phone.credentials!!.copy(serverUrl = "http://127.0.0.1:9"))
            .also { opened += it }
    }

    override fun close() {
        opened.forEach { it.close() }
        dirs.forEach { it.deleteRecursively() }
    }
}

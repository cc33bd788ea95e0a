package app.rounds

import app.rounds.ffi.Credentials
import app.rounds.ffi.Role
import app.rounds.ffi.StaffMember
import app.rounds.ffi.StoreKeyLost
import app.rounds.ffi.setAsideStore
import app.rounds.ffi.storeKeyLost
import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.io.DataInputStream
import java.io.DataOutputStream
import java.io.File
import java.io.FileOutputStream
import java.io.IOException
import java.security.SecureRandom

/**
 * Seals small secrets with a key the platform keeps and never lets out: in
 * the app an AES-GCM key in the Android Keystore
 * (`app.rounds.field.KeystoreWrapper`), on a plain JVM a test double.
 */
interface KeyWrapper {
    fun wrap(plain: ByteArray): ByteArray

    /** Throws when the platform's key is gone or [wrapped] was not sealed by it. */
    fun unwrap(wrapped: ByteArray): ByteArray
}

/**
 * The platform's key that sealed this phone's secrets is gone (a reset
 * Keystore, data restored onto another phone), or the store no longer opens
 * with the key kept for it. Show [words] and, once the user agrees,
 * [PhoneVault.startAfresh].
 */
class StoreKeyLostException(cause: Throwable) : Exception("this phone's store key is lost", cause) {
    val words: StoreKeyLost get() = storeKeyLost()
}

/**
 * This phone's secrets at rest, each in a file of its own under [appDir]
 * (the app's private files directory), sealed by [wrapper]:
 *
 * - the store's key, 32 random bytes made on first use: the phone's records,
 *   photos and signatures are encrypted with it (SQLCipher);
 * - the sign-in the server gave: its address, this phone's token, and who
 *   signed in.
 *
 * Nothing here is readable without the platform's key, and that key never
 * leaves the platform's keystore.
 */
class PhoneVault(
    private val appDir: File,
    private val wrapper: KeyWrapper,
    private val random: SecureRandom = SecureRandom(),
) {
    private val dir = File(appDir, "keys")
    private val storeKeyFile = File(dir, "store-key.sealed")
    private val signInFile = File(dir, "sign-in.sealed")

    /**
     * The store's key, made and sealed the first time.
     *
     * @throws StoreKeyLostException the platform's key no longer opens it
     */
    @Synchronized
    fun storeKey(): ByteArray {
        if (storeKeyFile.exists()) return unseal(storeKeyFile)
        val key = ByteArray(STORE_KEY_BYTES).also(random::nextBytes)
        write(storeKeyFile, wrapper.wrap(key))
        return key
    }

    @Synchronized
    fun saveSignIn(credentials: Credentials) = write(signInFile, wrapper.wrap(encode(credentials)))

    /**
     * The saved sign-in, or null if there is none (or it was written by a
     * release that kept other fields: sign in again).
     *
     * @throws StoreKeyLostException the platform's key no longer opens it
     */
    @Synchronized
    fun loadSignIn(): Credentials? = if (signInFile.exists()) decode(unseal(signInFile)) else null

    /** Signing out: the token goes, the store and its key stay. */
    @Synchronized
    fun clearSignIn() {
        signInFile.delete()
    }

    /**
     * After [StoreKeyLostException] or [app.rounds.ffi.RoundsException.WrongStoreKey],
     * once the user has read the warning: sets the unreadable store aside and
     * forgets the key and the sign-in. The next sign-in starts an empty store
     * and syncs it from the server; changes that were not synced are lost.
     */
    @Synchronized
    fun startAfresh() {
        setAsideStore(appDir.path)
        storeKeyFile.delete()
        signInFile.delete()
    }

    private fun unseal(file: File): ByteArray =
        try {
            wrapper.unwrap(file.readBytes())
        } catch (e: IOException) {
            throw e
        } catch (e: Exception) {
            throw StoreKeyLostException(e)
        }

    /** Whole or not at all: a crash mid-write leaves the previous file. */
    private fun write(file: File, bytes: ByteArray) {
        dir.mkdirs()
        val partial = File(dir, file.name + ".partial")
        FileOutputStream(partial).use {
            it.write(bytes)
            it.fd.sync()
        }
        if (!partial.renameTo(file)) throw IOException("cannot write ${file.path}")
    }

    private companion object {
        const val STORE_KEY_BYTES = 32
        const val FORMAT = 1

        fun encode(c: Credentials): ByteArray {
            val bytes = ByteArrayOutputStream()
            DataOutputStream(bytes).use { out ->
                out.writeInt(FORMAT)
                out.writeUTF(c.serverUrl)
                out.writeUTF(c.token)
                out.writeUTF(c.staff.id)
                out.writeUTF(c.staff.name)
                out.writeUTF(c.staff.role.name)
                out.writeInt(c.staff.estates.size)
                c.staff.estates.forEach(out::writeUTF)
            }
            return bytes.toByteArray()
        }

        fun decode(bytes: ByteArray): Credentials? = try {
            DataInputStream(ByteArrayInputStream(bytes)).use { input ->
                if (input.readInt() != FORMAT) return null
                val serverUrl = input.readUTF()
                val token = input.readUTF()
                val id = input.readUTF()
                val name = input.readUTF()
                val role = Role.valueOf(input.readUTF())
                val estates = List(input.readInt()) { input.readUTF() }
                Credentials(serverUrl = serverUrl, token = token, staff = StaffMember(id, name, role, estates))
            }
        } catch (e: IOException) {
            null
        } catch (e: IllegalArgumentException) {
            null
        }
    }
}

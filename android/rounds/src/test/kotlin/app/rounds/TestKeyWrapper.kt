package app.rounds

import java.io.File
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * The Android Keystore's part on a plain JVM: AES-GCM under a key held in
 * memory, sealed as the app's KeystoreWrapper seals (a fresh 12-byte IV,
 * then the ciphertext and its tag). Another instance is another phone's
 * keystore, or this one's after a reset.
 */
class TestKeyWrapper : KeyWrapper {
    private val key: SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
    private val random = SecureRandom()

    override fun wrap(plain: ByteArray): ByteArray {
        val iv = ByteArray(12).also(random::nextBytes)
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, key, GCMParameterSpec(128, iv))
        return iv + cipher.doFinal(plain)
    }

    override fun unwrap(wrapped: ByteArray): ByteArray {
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, wrapped, 0, 12))
        return cipher.doFinal(wrapped, 12, wrapped.size - 12)
    }

    companion object {
        /** The keystore every test phone in this run shares. */
        val shared = TestKeyWrapper()
    }
}

/** The store key of the test phone in [dir], as the app gets it. */
fun storeKeyOf(dir: File): ByteArray = PhoneVault(dir, TestKeyWrapper.shared).storeKey()

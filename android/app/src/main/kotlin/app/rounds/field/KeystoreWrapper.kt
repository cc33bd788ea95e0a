package app.rounds.field

import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import app.rounds.KeyWrapper
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * Seals the phone's secrets (the store's key, the sign-in) with an AES-256
 * GCM key made inside the Android Keystore. The key cannot be exported
 * (hardware-backed where the phone has it), so the sealed files in app
 * storage are of no use anywhere else. A sealed secret is the 12-byte IV the
 * Keystore chose, then the ciphertext and its tag.
 */
class KeystoreWrapper(private val alias: String = "app.rounds.field.vault") : KeyWrapper {
    private val keyStore: KeyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }

    override fun wrap(plain: ByteArray): ByteArray {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        // The Keystore refuses caller-chosen IVs for encryption and makes its own.
        cipher.init(Cipher.ENCRYPT_MODE, existingKey() ?: newKey())
        val iv = cipher.iv
        check(iv.size == IV_BYTES) { "unexpected GCM IV of ${iv.size} bytes" }
        return iv + cipher.doFinal(plain)
    }

    /** Never makes a key: a missing one means what it sealed is lost. */
    override fun unwrap(wrapped: ByteArray): ByteArray {
        val key = existingKey() ?: throw IllegalStateException("no key $alias in the Android Keystore")
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BITS, wrapped, 0, IV_BYTES))
        return cipher.doFinal(wrapped, IV_BYTES, wrapped.size - IV_BYTES)
    }

    private fun existingKey(): SecretKey? =
        (keyStore.getEntry(alias, null) as? KeyStore.SecretKeyEntry)?.secretKey

    private fun newKey(): SecretKey =
        KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE).run {
            init(
                KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                    .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                    .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                    .setKeySize(256)
                    .setRandomizedEncryptionRequired(true)
                    .build(),
            )
            generateKey()
        }

    private companion object {
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
        const val TAG_BITS = 128
    }
}

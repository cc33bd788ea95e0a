package app.rounds.field

import android.content.Context
import app.rounds.PhoneVault
import app.rounds.ffi.Credentials
import app.rounds.ffi.Role
import app.rounds.ffi.StaffMember

/**
 * The sign-in the server gave this phone, so the app reopens without the
 * password. The token is this phone's alone (signing in again replaces it, a
 * head can revoke it): it is kept in [vault], sealed by the Android Keystore.
 * Only the last server's address, which is no secret, stays in preferences
 * to fill in the sign-in form.
 */
class SavedSignIn(context: Context, private val vault: PhoneVault) {
    private val prefs = context.getSharedPreferences("sign-in", Context.MODE_PRIVATE)

    /** @throws app.rounds.StoreKeyLostException the Keystore lost the key that sealed it */
    fun load(): Credentials? = vault.loadSignIn() ?: fromEarlierRelease()

    fun save(c: Credentials) {
        vault.saveSignIn(c)
        prefs.edit().putString("server_url", c.serverUrl).apply()
    }

    /** The last server used, to fill in the sign-in form. */
    fun lastServer(): String = prefs.getString("server_url", "") ?: ""

    fun clear() = vault.clearSignIn()

    /**
     * Releases before the vault kept the token in plain preferences: moved
     * into the vault once, then removed from them.
     */
    private fun fromEarlierRelease(): Credentials? {
        val token = prefs.getString("token", null) ?: return null
        val role = runCatching { Role.valueOf(prefs.getString("role", "")!!) }.getOrNull()
        val saved = role?.let {
            Credentials(
                serverUrl = prefs.getString("server_url", "")!!,
                token = token,
                staff = StaffMember(
                    id = prefs.getString("id", "")!!,
                    name = prefs.getString("name", "")!!,
                    role = it,
                    estates = prefs.getString("estates", "")!!.split(',').filter { e -> e.isNotBlank() },
                ),
            )
        }
        saved?.let(vault::saveSignIn)
        val server = lastServer()
        prefs.edit().clear().putString("server_url", server).commit()
        return saved
    }
}

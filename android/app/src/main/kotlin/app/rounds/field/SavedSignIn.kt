package app.rounds.field

import android.content.Context
import app.rounds.ffi.Credentials
import app.rounds.ffi.Role
import app.rounds.ffi.StaffMember

/**
 * The sign-in the server gave this phone, kept in app-private storage so
 * the app reopens without the password. The token is this phone's alone
 * (signing in again replaces it, a head can revoke it); a release build
 * should wrap it with a key from the Android Keystore.
 */
class SavedSignIn(context: Context) {
    private val prefs = context.getSharedPreferences("sign-in", Context.MODE_PRIVATE)

    fun load(): Credentials? {
        val token = prefs.getString("token", null) ?: return null
        return Credentials(
            serverUrl = prefs.getString("server_url", "")!!,
            token = token,
            staff = StaffMember(
                id = prefs.getString("id", "")!!,
                name = prefs.getString("name", "")!!,
                role = Role.valueOf(prefs.getString("role", Role.TECHNICIAN.name)!!),
                estates = prefs.getString("estates", "")!!.split(',').filter { it.isNotBlank() },
            ),
        )
    }

    fun save(c: Credentials) {
        prefs.edit()
            .putString("server_url", c.serverUrl)
            .putString("token", c.token)
            .putString("id", c.staff.id)
            .putString("name", c.staff.name)
            .putString("role", c.staff.role.name)
            .putString("estates", c.staff.estates.joinToString(","))
            .apply()
    }

    /** The last server used, to fill in the sign-in form. */
    fun lastServer(): String = prefs.getString("server_url", "") ?: ""

    fun clear() {
        val server = lastServer()
        prefs.edit().clear().putString("server_url", server).apply()
    }
}

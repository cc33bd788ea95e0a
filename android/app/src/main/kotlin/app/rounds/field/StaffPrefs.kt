package app.rounds.field

import android.content.Context
import app.rounds.ffi.Role
import app.rounds.ffi.StaffMember

/**
 * Who last signed in on this phone. The server's accounts will fill this in
 * when sync lands; until then a person types their staff id and estates.
 */
class StaffPrefs(context: Context) {
    private val prefs = context.getSharedPreferences("staff", Context.MODE_PRIVATE)

    fun load(): StaffMember? {
        val id = prefs.getString("id", null) ?: return null
        return StaffMember(
            id = id,
            name = prefs.getString("name", "")!!,
            role = Role.valueOf(prefs.getString("role", Role.TECHNICIAN.name)!!),
            estates = prefs.getString("estates", "")!!.split(',').filter { it.isNotBlank() },
        )
    }

    fun save(staff: StaffMember) {
        prefs.edit()
            .putString("id", staff.id)
            .putString("name", staff.name)
            .putString("role", staff.role.name)
            .putString("estates", staff.estates.joinToString(","))
            .apply()
    }
}

package app.rounds

import app.rounds.ffi.DepositedKey
import app.rounds.ffi.KeyDepositDraft
import app.rounds.ffi.KeySignStep
import app.rounds.ffi.KeySiteStep
import app.rounds.ffi.Place
import app.rounds.ffi.Rounds
import app.rounds.ffi.newRecordId

/**
 * Residents' keys in custody (客户托管钥匙): the key taken in under a seal,
 * its weekly check, and each use registered, then signed on two phones —
 * the property side's and the security side's, each with its own device
 * key — before the seal is opened, and again when it is resealed. The server
 * verifies each signature against the device that sent it.
 */
class Keys internal constructor(private val ffi: Rounds) {
    fun deposit(place: Place, residentName: String, description: String, sealNo: String, id: KeyId = KeyId.new()): KeyId =
        KeyId(ffi.depositKey(KeyDepositDraft(id.value, place, residentName, description, sealNo)))

    operator fun get(id: KeyId): DepositedKey = ffi.depositedKey(id.value)

    /** The weekly check; a missing key or a broken seal needs a note. */
    fun check(id: KeyId, present: Boolean = true, sealIntact: Boolean = true, note: String = "", checkId: String = newRecordId()) =
        ffi.checkKey(id.value, checkId, present, sealIntact, note)

    /** Registers a use; two or more people must be present. Returns its id. */
    fun requestUse(id: KeyId, reason: String, present: List<String>, contractor: String = "", useId: String = newRecordId()): String {
        ffi.requestKeyUse(id.value, useId, reason, present, contractor)
        return useId
    }

    /** This person's signature for their side; a resealing names the new seal. */
    fun sign(id: KeyId, useId: String, step: KeySignStep, sealNo: String = "") =
        ffi.signKeyUse(id.value, useId, step, sealNo)

    /** The seal opened on site (once both sides signed the use). */
    fun opened(id: KeyId, useId: String, stepId: String = newRecordId()) =
        ffi.keySiteStep(id.value, stepId, useId, KeySiteStep.OPENED, "")

    /** A line of the entry register while the key is open. */
    fun entered(id: KeyId, useId: String, note: String, stepId: String = newRecordId()) =
        ffi.keySiteStep(id.value, stepId, useId, KeySiteStep.ENTERED, note)
}

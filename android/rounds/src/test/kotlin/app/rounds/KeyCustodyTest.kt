package app.rounds

import app.rounds.ffi.KeySide
import app.rounds.ffi.KeySignStep
import app.rounds.ffi.KeyStatus
import app.rounds.ffi.KeyUseStatus
import app.rounds.ffi.RoundsException
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import java.time.Duration
import java.time.Instant

/**
 * A resident's key in custody on two phones: the property assistant takes
 * it in, checks it, registers a use and signs it; the guard, on their own
 * phone, signs, opens the seal, registers the entry and reseals; the
 * assistant co-signs the resealing. The server verifies every signature
 * against the device that sent it and reads the key resealed, signed by
 * both sides.
 */
class KeyCustodyTest {
    private val phones = Phones()

    @After
    fun tearDown() = phones.close()

    private fun phoneOf(username: String) = phones.of(username)

    private fun synced(phone: RoundsSession) {
        val report = phone.sync()
        assertTrue("refused: ${report.refused}", report.refused.isEmpty())
    }

    @Test
    fun aKeyUseIsSignedOnTwoPhonesAndCheckedWeekly() {
        val assistant = phoneOf("assistant")
        val guard = phoneOf("security")
        synced(assistant)
        synced(guard)

        val unit = assistant.places(DemoServer.ESTATE).first { it.place.unitId != null }.place
        val key = assistant.keys.deposit(unit, "王女士", "入户门钥匙 2 把", "F-9001")
        // The weekly check: the next one is due about a week on.
        assistant.keys.check(key)
        val checked = assistant.keys[key]
        assertEquals(1u, checked.checks)
        assertTrue(checked.checkDueAt.isAfter(Instant.now().plus(Duration.ofDays(6))))
        // A broken seal is not recorded without saying what was found.
        try {
            assistant.keys.check(key, sealIntact = false)
            fail("a broken seal was recorded without a note")
        } catch (e: RoundsException) {
            assertTrue(e.toString(), e.message!!.isNotEmpty())
        }
        assertEquals(1u, assistant.keys[key].checks)

        val use = assistant.keys.requestUse(key, "楼上漏水,业主外出,入室检查", listOf("陈晨", "孙强"), "张伟")
        assistant.keys.sign(key, use, KeySignStep.APPROVE)
        // One side's signature does not open the seal.
        try {
            assistant.keys.opened(key, use)
            fail("opened on one side's signature")
        } catch (e: RoundsException) {
            assertTrue(e.toString(), e.message!!.isNotEmpty())
        }
        synced(assistant)

        synced(guard)
        guard.keys.sign(key, use, KeySignStep.APPROVE)
        assertEquals(KeyUseStatus.APPROVED, guard.keys[key].uses.single().status)
        guard.keys.opened(key, use)
        guard.keys.entered(key, use, "三人入室,未移动物品")
        guard.keys.sign(key, use, KeySignStep.RESEAL, "F-9002")
        assertEquals(KeyStatus.IN_USE, guard.keys[key].status)
        // The guard sees the key, not whose it is.
        assertEquals("", guard.keys[key].residentName)
        synced(guard)

        synced(assistant)
        assistant.keys.sign(key, use, KeySignStep.RESEAL, "F-9002")
        synced(assistant)
        val k = assistant.keys[key]
        assertEquals(KeyStatus.IN_CUSTODY, k.status)
        assertEquals("F-9002", k.sealNo)
        val signers = k.uses.single().signers.map { Triple(it.step, it.side, it.staffId) }.toSet()
        assertEquals(
            setOf(
                Triple(KeySignStep.APPROVE, KeySide.PROPERTY, "s-assistant"),
                Triple(KeySignStep.APPROVE, KeySide.SECURITY, "s-security"),
                Triple(KeySignStep.RESEAL, KeySide.PROPERTY, "s-assistant"),
                Triple(KeySignStep.RESEAL, KeySide.SECURITY, "s-security"),
            ),
            signers,
        )

        // The server, having verified each phone's signatures, reads the same.
        val (code, body) = DemoServer.get(DemoServer.base, "/v1/keys/${key.value}", assistant.credentials!!.token)
        assertEquals(body, 200, code)
        assertTrue(body, body.contains("\"current_seal\":\"F-9002\""))
        assertTrue(body, body.contains("\"status\":\"resealed\""))
        assertTrue(body, body.contains("\"reseal\":{\"property\":\"s-assistant\",\"security\":\"s-security\"}"))
    }
}

package app.rounds

import app.rounds.ffi.OrderRequest
import app.rounds.ffi.Place
import app.rounds.ffi.Revisit
import app.rounds.ffi.RevisitAnswer
import app.rounds.ffi.Rounds
import java.io.File
import java.time.Instant

/** Revisits after repairs and complaints, and home visits against the monthly quota. */
class Revisits internal constructor(private val ffi: Rounds) {
    operator fun get(id: RevisitId): Revisit = ffi.revisit(id.value)

    fun planHomeVisit(place: Place, assignee: String, due: Instant, id: RevisitId = RevisitId.new()): RevisitId =
        RevisitId(ffi.planHomeVisit(id.value, place, assignee, due))

    /** Records a phone revisit, or an in-person one with the resident's signature. */
    fun record(id: RevisitId, answer: RevisitAnswer, signaturePng: ByteArray? = null) =
        ffi.recordRevisit(id.value, answer, signaturePng)

    fun record(id: RevisitId, answer: RevisitAnswer, signaturePng: File) =
        ffi.recordRevisitSignatureFile(id.value, answer, signaturePng.path)

    /** A problem found on the visit opens a work order, linked both ways. */
    fun openOrder(id: RevisitId, request: OrderRequest): OrderId = OrderId(ffi.openOrderFromRevisit(id.value, request))
}

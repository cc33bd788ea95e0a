package app.rounds

import app.rounds.ffi.Complaint
import app.rounds.ffi.ComplaintRequest
import app.rounds.ffi.OrderRequest
import app.rounds.ffi.Rounds

/** Complaints: whoever receives one first (首问责任人) follows it to the end. */
class Complaints internal constructor(private val ffi: Rounds) {
    fun receive(request: ComplaintRequest): ComplaintId = ComplaintId(ffi.receiveComplaint(request))

    operator fun get(id: ComplaintId): Complaint = ffi.complaint(id.value)

    fun dispatch(id: ComplaintId, department: String) = ffi.dispatchComplaint(id.value, department)

    /** The department's answer when it cannot finish in time. */
    fun answer(id: ComplaintId, answer: String) = ffi.answerComplaint(id.value, answer)

    /** 有效 / 无效投诉. */
    fun classify(id: ComplaintId, valid: Boolean) = ffi.classifyComplaint(id.value, valid)

    fun openOrder(id: ComplaintId, request: OrderRequest): OrderId = OrderId(ffi.openOrderForComplaint(id.value, request))

    /** The work is done; returns the revisit the rules now owe. */
    fun resolve(id: ComplaintId, note: String): RevisitId = RevisitId(ffi.resolveComplaint(id.value, note))

    fun reportBack(id: ComplaintId) = ffi.reportBack(id.value)

    fun close(id: ComplaintId) = ffi.closeComplaint(id.value)
}

package app.rounds

import app.rounds.ffi.Attachment
import app.rounds.ffi.Contact
import app.rounds.ffi.ExtensionApproval
import app.rounds.ffi.Material
import app.rounds.ffi.OrderRequest
import app.rounds.ffi.OrderStatus
import app.rounds.ffi.PaymentMethod
import app.rounds.ffi.PriceItem
import app.rounds.ffi.QuotePick
import app.rounds.ffi.Rounds
import app.rounds.ffi.SignOff
import app.rounds.ffi.SignOffValidity
import app.rounds.ffi.WorkOrder
import app.rounds.ffi.WorkRecord
import java.io.File
import java.time.Duration
import java.time.Instant

/** Work orders, from registration to close, each step checked by the core. */
class WorkOrders internal constructor(private val ffi: Rounds) {
    /** Registers a request; its deadline comes from the rules. Retrying with the same `request.id` is harmless. */
    fun register(request: OrderRequest): OrderId = OrderId(ffi.registerOrder(request))

    operator fun get(id: OrderId): WorkOrder = ffi.workOrder(id.value)

    fun dispatch(id: OrderId, assignee: String) = ffi.dispatch(id.value, assignee)

    fun accept(id: OrderId) = ffi.accept(id.value)

    /** Quotes a paid service as one amount: only for a company without a price list. */
    fun quote(id: OrderId, fen: Long) = ffi.quote(id.value, fen)

    /** The company's price list (价目表) as last synced: the items a quote may pick now. */
    fun priceList(): List<PriceItem> = ffi.priceList()

    /** Quotes a paid service from the price list, before [startWork]; returns the total in fen. */
    fun quoteFromList(id: OrderId, picks: List<QuotePick>): Long = ffi.quoteFromList(id.value, picks)

    /** The fee the resident paid (收费), with its receipt: once, after the work is finished. */
    fun collectFee(id: OrderId, amountFen: Long, method: PaymentMethod, receiptNo: String) =
        ffi.collectFee(id.value, amountFen, method, receiptNo)

    fun startWork(id: OrderId) = ffi.startWork(id.value)

    /** Adds a material used; returns its id. */
    fun addMaterial(id: OrderId, material: Material): String = ffi.addMaterial(id.value, material)

    fun removeMaterial(id: OrderId, materialId: String) = ffi.removeMaterial(id.value, materialId)

    fun recordWork(id: OrderId, work: WorkRecord) = ffi.recordWork(id.value, work)

    fun charge(id: OrderId, materialsFeeFen: Long, labourFeeFen: Long) =
        ffi.charge(id.value, materialsFeeFen, labourFeeFen)

    fun addNote(id: OrderId, text: String, noteId: String = ""): String = ffi.addOrderNote(id.value, noteId, text)

    /** Adds a photo the camera handed over as bytes; returns its hash. */
    fun addPhoto(id: OrderId, bytes: ByteArray, mime: String = "image/jpeg", caption: String = "", photoId: String = ""): String =
        ffi.addOrderPhoto(id.value, photoId, bytes, mime, caption)

    /** Adds a photo the camera wrote to a file; returns its hash. */
    fun addPhoto(id: OrderId, file: File, mime: String = "image/jpeg", caption: String = "", photoId: String = ""): String =
        ffi.addOrderPhotoFile(id.value, photoId, file.path, mime, caption)

    fun setContact(id: OrderId, contact: Contact) = ffi.setContact(id.value, contact)

    /** Completes the repair; returns the revisit the rules now owe the resident. */
    fun complete(id: OrderId): RevisitId = RevisitId(ffi.complete(id.value))

    /** The resident's acceptance, with the PNG from the signature pad. */
    fun signOff(id: OrderId, residentName: String, signaturePng: ByteArray): SignOff =
        ffi.signOff(id.value, residentName, signaturePng)

    fun signOff(id: OrderId, residentName: String, signaturePng: File): SignOff =
        ffi.signOffFile(id.value, residentName, signaturePng.path)

    fun signOffValidity(id: OrderId): SignOffValidity = ffi.signoffValidity(id.value)

    /** Reception refuses (拒收) an incomplete record. */
    fun refuse(id: OrderId, reason: String) = ffi.refuse(id.value, reason)

    /** The head returns (退单) an order that cannot be done. */
    fun returnOrder(id: OrderId, reason: String) = ffi.returnOrder(id.value, reason)

    fun review(id: OrderId, comment: String) = ffi.review(id.value, comment)

    fun close(id: OrderId) = ffi.closeOrder(id.value)

    fun resolveConflict(id: OrderId, to: OrderStatus, reason: String) = ffi.resolveOrderConflict(id.value, to, reason)

    /** Asks for more time; says who must approve and whether the resident must agree. */
    fun requestExtension(id: OrderId, until: Instant, reason: String, extensionId: String = ""): ExtensionApproval =
        ffi.requestExtension(id.value, extensionId, until, reason)

    fun recordResidentConsent(id: OrderId, extensionId: String, consent: Boolean) =
        ffi.recordResidentConsent(id.value, extensionId, consent)

    fun decideExtension(id: OrderId, extensionId: String, approve: Boolean) =
        ffi.decideExtension(id.value, extensionId, approve)

    /** A photo or signature image a record names by hash. */
    fun attachment(hash: String): Attachment = ffi.attachment(hash)
}

/** Start to end plus preparation, once both times are recorded. */
val WorkOrder.totalTime: Duration? get() = totalMinutes?.let { Duration.ofMinutes(it) }

/** Materials at their unit prices, in fen. */
val WorkOrder.materialsCostFen: Long
    get() = materials.sumOf { Math.round(it.quantity * it.unitPriceFen) }

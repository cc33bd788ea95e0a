import Foundation
import RoundsFFI

/// Work orders, from registration to close, each step checked by the core.
public struct WorkOrders {
    let ffi: RoundsFFI.Rounds
    init(_ ffi: RoundsFFI.Rounds) { self.ffi = ffi }

    /// Registers a request; its deadline comes from the rules. Retrying with the same `request.id` is harmless.
    @discardableResult
    public func register(_ request: OrderRequest) throws -> OrderId { OrderId(try ffi.registerOrder(request: request)) }

    public func get(_ id: OrderId) throws -> WorkOrder { try ffi.workOrder(id: id.value) }

    public func dispatch(_ id: OrderId, to assignee: String) throws { try ffi.dispatch(id: id.value, assignee: assignee) }

    public func accept(_ id: OrderId) throws { try ffi.accept(id: id.value) }

    /// Quotes a paid service from the price list; must come before `startWork`.
    /// A quote as one amount: only for a company without a price list.
    public func quote(_ id: OrderId, fen: Int64) throws { try ffi.quote(id: id.value, quotedFen: fen) }

    /// The company's price list (价目表) as last synced: the items a quote may pick now.
    public func priceList() throws -> [PriceItem] { try ffi.priceList() }

    /// Quotes a paid service from the price list, before work starts; returns the total in fen.
    public func quoteFromList(_ id: OrderId, picks: [QuotePick]) throws -> Int64 {
        try ffi.quoteFromList(id: id.value, picks: picks)
    }

    /// The fee the resident paid (收费), with its receipt: once, after the work is finished.
    public func collectFee(_ id: OrderId, amountFen: Int64, method: PaymentMethod, receiptNo: String) throws {
        try ffi.collectFee(id: id.value, amountFen: amountFen, method: method, receiptNo: receiptNo)
    }

    public func startWork(_ id: OrderId) throws { try ffi.startWork(id: id.value) }

    @discardableResult
    public func addMaterial(_ id: OrderId, _ material: Material) throws -> String {
        try ffi.addMaterial(id: id.value, material: material)
    }

    public func removeMaterial(_ id: OrderId, materialId: String) throws {
        try ffi.removeMaterial(id: id.value, materialId: materialId)
    }

    public func recordWork(_ id: OrderId, _ work: WorkRecord) throws { try ffi.recordWork(id: id.value, work: work) }

    public func charge(_ id: OrderId, materialsFeeFen: Int64, labourFeeFen: Int64) throws {
        try ffi.charge(id: id.value, materialsFeeFen: materialsFeeFen, labourFeeFen: labourFeeFen)
    }

    @discardableResult
    public func addNote(_ id: OrderId, _ text: String, noteId: String = "") throws -> String {
        try ffi.addOrderNote(id: id.value, noteId: noteId, text: text)
    }

    /// Adds a photo from the camera's bytes; returns its hash.
    @discardableResult
    public func addPhoto(_ id: OrderId, jpeg: Data, caption: String = "", photoId: String = "") throws -> String {
        try ffi.addOrderPhoto(id: id.value, photoId: photoId, bytes: jpeg, mime: "image/jpeg", caption: caption)
    }

    /// Adds a photo the camera wrote to a file; returns its hash.
    @discardableResult
    public func addPhoto(_ id: OrderId, file: URL, mime: String = "image/jpeg", caption: String = "", photoId: String = "") throws -> String {
        try ffi.addOrderPhotoFile(id: id.value, photoId: photoId, path: file.path, mime: mime, caption: caption)
    }

    public func setContact(_ id: OrderId, _ contact: Contact) throws { try ffi.setContact(id: id.value, contact: contact) }

    /// Completes the repair; returns the revisit the rules now owe the resident.
    @discardableResult
    public func complete(_ id: OrderId) throws -> RevisitId { RevisitId(try ffi.complete(id: id.value)) }

    /// The resident's acceptance, with the PNG from the signature pad.
    @discardableResult
    public func signOff(_ id: OrderId, residentName: String, signaturePng: Data) throws -> SignOff {
        try ffi.signOff(id: id.value, residentName: residentName, signaturePng: signaturePng)
    }

    public func signOffValidity(_ id: OrderId) throws -> SignOffValidity { try ffi.signoffValidity(id: id.value) }

    /// Reception refuses (拒收) an incomplete record.
    public func refuse(_ id: OrderId, reason: String) throws { try ffi.refuse(id: id.value, reason: reason) }

    /// The head returns (退单) an order that cannot be done.
    public func returnOrder(_ id: OrderId, reason: String) throws { try ffi.returnOrder(id: id.value, reason: reason) }

    public func review(_ id: OrderId, comment: String) throws { try ffi.review(id: id.value, comment: comment) }

    public func close(_ id: OrderId) throws { try ffi.closeOrder(id: id.value) }

    /// Asks for more time; says who must approve and whether the resident must agree.
    public func requestExtension(_ id: OrderId, until: Date, reason: String, extensionId: String = "") throws -> ExtensionApproval {
        try ffi.requestExtension(id: id.value, extensionId: extensionId, requestedDue: until, reason: reason)
    }

    /// A photo or signature image a record names by hash.
    public func attachment(_ hash: String) throws -> Attachment { try ffi.attachment(hash: hash) }
}

public extension WorkOrder {
    /// Start to end plus preparation, once both times are recorded.
    var totalTime: TimeInterval? { totalMinutes.map { TimeInterval($0 * 60) } }
}

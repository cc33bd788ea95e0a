import Foundation
import RoundsFFI

/// Revisits after repairs and complaints, and home visits against the monthly quota.
public struct Revisits {
    let ffi: RoundsFFI.Rounds
    init(_ ffi: RoundsFFI.Rounds) { self.ffi = ffi }

    public func get(_ id: RevisitId) throws -> Revisit { try ffi.revisit(id: id.value) }

    @discardableResult
    public func planHomeVisit(at place: Place, assignee: String, due: Date, id: RevisitId = .new()) throws -> RevisitId {
        RevisitId(try ffi.planHomeVisit(id: id.value, place: place, assignee: assignee, dueAt: due))
    }

    /// Records a phone revisit, or an in-person one with the resident's signature.
    public func record(_ id: RevisitId, _ answer: RevisitAnswer, signaturePng: Data? = nil) throws {
        try ffi.recordRevisit(id: id.value, answer: answer, signaturePng: signaturePng)
    }

    /// A problem found on the visit opens a work order, linked both ways.
    @discardableResult
    public func openOrder(_ id: RevisitId, _ request: OrderRequest) throws -> OrderId {
        OrderId(try ffi.openOrderFromRevisit(revisitId: id.value, request: request))
    }
}

import Foundation
import RoundsFFI

/// Complaints: whoever receives one first (首问责任人) follows it to the end.
public struct Complaints {
    let ffi: RoundsFFI.Rounds
    init(_ ffi: RoundsFFI.Rounds) { self.ffi = ffi }

    @discardableResult
    public func receive(_ request: ComplaintRequest) throws -> ComplaintId {
        ComplaintId(try ffi.receiveComplaint(request: request))
    }

    public func get(_ id: ComplaintId) throws -> Complaint { try ffi.complaint(id: id.value) }

    public func dispatch(_ id: ComplaintId, to department: String) throws {
        try ffi.dispatchComplaint(id: id.value, department: department)
    }

    public func answer(_ id: ComplaintId, _ answer: String) throws { try ffi.answerComplaint(id: id.value, answer: answer) }

    /// 有效 / 无效投诉.
    public func classify(_ id: ComplaintId, valid: Bool) throws { try ffi.classifyComplaint(id: id.value, valid: valid) }

    @discardableResult
    public func openOrder(_ id: ComplaintId, _ request: OrderRequest) throws -> OrderId {
        OrderId(try ffi.openOrderForComplaint(complaintId: id.value, request: request))
    }

    /// The work is done; returns the revisit the rules now owe.
    @discardableResult
    public func resolve(_ id: ComplaintId, note: String) throws -> RevisitId {
        RevisitId(try ffi.resolveComplaint(id: id.value, note: note))
    }

    public func reportBack(_ id: ComplaintId) throws { try ffi.reportBack(id: id.value) }

    public func close(_ id: ComplaintId) throws { try ffi.closeComplaint(id: id.value) }
}

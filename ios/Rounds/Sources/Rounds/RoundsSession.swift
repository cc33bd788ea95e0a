import Foundation
import RoundsFFI

/// One person signed in on this phone: the app's handle on the shared core.
///
/// Every call goes through the core's rules; a refusal throws a `RoundsError`
/// with its message in Chinese and English (`message(for:)`). Calls block on
/// the local database, so make them off the main actor; the session may be
/// shared between tasks.
public final class RoundsSession: @unchecked Sendable {
    private let ffi: RoundsFFI.Rounds
    public let orders: WorkOrders
    public let revisits: Revisits
    public let complaints: Complaints

    /// Opens the store kept in `appDirectory` (Application Support) for `staff`.
    public static func open(appDirectory: URL, staff: StaffMember) throws -> RoundsSession {
        RoundsSession(try RoundsFFI.Rounds.open(appDir: appDirectory.path, staff: staff))
    }

    private init(_ ffi: RoundsFFI.Rounds) {
        self.ffi = ffi
        orders = WorkOrders(ffi)
        revisits = Revisits(ffi)
        complaints = Complaints(ffi)
    }

    public var staff: StaffMember { ffi.staff() }

    /// This phone's id, made when the store was first opened.
    public var deviceId: String { ffi.deviceId() }

    /// My open orders, revisits and rectifications, soonest due first.
    public func myTasks() throws -> [TaskRow] { try ffi.myTasks() }

    public func overdue(_ kind: RecordKind = .workOrder) throws -> [TaskRow] { try ffi.overdue(kind: kind) }

    /// Revisits due within the next `withinDays` days.
    public func dueRevisits(withinDays: UInt32 = 7) throws -> [TaskRow] { try ffi.dueRevisits(withinDays: withinDays) }

    /// Everything recorded for a unit (房号).
    public func unitHistory(unitId: String) throws -> [TaskRow] { try ffi.unitHistory(unitId: unitId) }

    // Sync goes here when the sync client merges (see mobile-bindings/src/sync.rs).
}

public extension Role {
    /// Every role, in the order a sign-in screen lists them.
    static let all: [Role] = [
        .receptionist, .technician, .propertyAssistant, .supervisor,
        .director, .security, .cleaning, .landscaping,
    ]

    /// The role's name, zh-CN and English.
    var label: Label { roleLabel(role: self) }
}

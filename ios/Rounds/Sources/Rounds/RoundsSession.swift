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
    public let inspections: Inspections
    public let patrols: Patrols
    public let rectifications: Rectifications
    private let syncState = SyncState()

    // Every way in takes `storeKey`, the key the phone's store is encrypted
    // with: `StoreKeychain.storeKey()` (32 bytes, made once, kept in the
    // Keychain). A key that does not open the store throws
    // `RoundsError.WrongStoreKey` and changes nothing; see `StoreKeychain.startAfresh`.

    /// Signs `username` in to the server from this phone and opens the store
    /// in `appDirectory` (Application Support) for the person the server
    /// names: role and estates come from the server's account. Blocks on the
    /// network: call it off the main actor. A wrong password or a revoked
    /// phone throws `RoundsError.SignedOut`.
    public static func signIn(appDirectory: URL, storeKey: Data, serverURL: String, username: String, password: String, deviceName: String) throws -> RoundsSession {
        RoundsSession(try RoundsFFI.Rounds.signIn(appDir: appDirectory.path, storeKey: storeKey, serverUrl: serverURL, username: username, password: password, deviceName: deviceName))
    }

    /// Opens the session again from saved `credentials` (kept in the Keychain), offline.
    public static func resume(appDirectory: URL, storeKey: Data, credentials: Credentials) throws -> RoundsSession {
        RoundsSession(try RoundsFFI.Rounds.resume(appDir: appDirectory.path, storeKey: storeKey, credentials: credentials))
    }

    /// Opens the store for `staff` without a server (previews, tests): `sync` throws `SignedOut`.
    public static func open(appDirectory: URL, storeKey: Data, staff: StaffMember) throws -> RoundsSession {
        RoundsSession(try RoundsFFI.Rounds.open(appDir: appDirectory.path, storeKey: storeKey, staff: staff))
    }

    private init(_ ffi: RoundsFFI.Rounds) {
        self.ffi = ffi
        orders = WorkOrders(ffi)
        revisits = Revisits(ffi)
        complaints = Complaints(ffi)
        inspections = Inspections(ffi)
        patrols = Patrols(ffi)
        rectifications = Rectifications(ffi)
    }

    /// What to keep in the Keychain to `resume` later; nil without a server.
    public var credentials: Credentials? { ffi.credentials() }

    public var staff: StaffMember { ffi.staff() }

    /// This phone's id, made when the store was first opened.
    public var deviceId: String { ffi.deviceId() }

    /// My open orders, revisits and rectifications, soonest due first.
    public func myTasks() throws -> [TaskRow] { try ffi.myTasks() }

    public func overdue(_ kind: RecordKind = .workOrder) throws -> [TaskRow] { try ffi.overdue(kind: kind) }

    /// The company's rules and calendar this phone applies (the last sync's,
    /// or the manuals' before the first); `calendar.behindZh` says when the
    /// calendar is behind today or my furthest deadline.
    public func rulesInForce() throws -> RulesInForce { try ffi.rulesInForce() }

    /// When a repair of `category` received at `receivedAt` is due under those rules.
    public func repairDue(category: String, receivedAt: Date) throws -> Date {
        try ffi.repairDue(category: category, receivedAt: receivedAt)
    }

    /// Revisits due within the next `withinDays` days.
    public func dueRevisits(withinDays: UInt32 = 7) throws -> [TaskRow] { try ffi.dueRevisits(withinDays: withinDays) }

    /// The places of `estateId` to pick from instead of typing where: its
    /// common areas under their kind, then its units under building and
    /// entrance (`PlaceChoice.group`), as the last sync brought them.
    public func places(estateId: String) throws -> [PlaceChoice] { try ffi.places(estateId: estateId) }

    /// Everything recorded for a unit (房号).
    public func unitHistory(unitId: String) throws -> [TaskRow] { try ffi.unitHistory(unitId: unitId) }

    /// Sends what was done on this phone and receives what others did,
    /// photos and signatures included. Blocks: run it in a background task.
    /// Cancel it from anywhere with `job.cancel()`; screens may keep reading
    /// and writing meanwhile. Throws `Offline`, `SignedOut` or `Cancelled`.
    @discardableResult
    public func sync(job: SyncJob = SyncJob(), onProgress: @escaping @Sendable (SyncProgress) -> Void = { _ in }) throws -> SyncReport {
        do {
            let report = try ffi.sync(listener: ProgressListener(onProgress), job: job)
            syncState.finished(error: nil)
            return report
        } catch let error as RoundsError {
            if case .Cancelled = error {} else { syncState.finished(error: error) }
            throw error
        }
    }

    /// Records and photos or signatures waiting to go up.
    public func pendingUpload() throws -> PendingUpload { try ffi.pendingUpload() }

    /// What the sync indicator shows now.
    public func syncIndicator() throws -> SyncIndicatorState {
        let (last, error) = syncState.snapshot()
        return SyncIndicatorState(waiting: try pendingUpload(), lastSynced: last, lastError: error, signedIn: credentials != nil)
    }
}

private final class ProgressListener: SyncListener, @unchecked Sendable {
    private let tell: @Sendable (SyncProgress) -> Void
    init(_ tell: @escaping @Sendable (SyncProgress) -> Void) { self.tell = tell }
    func onProgress(progress: SyncProgress) { tell(progress) }
}

private final class SyncState: @unchecked Sendable {
    private let lock = NSLock()
    private var lastSynced: Date?
    private var lastError: RoundsError?

    func finished(error: RoundsError?) {
        lock.lock(); defer { lock.unlock() }
        if error == nil { lastSynced = Date() }
        lastError = error
    }

    func snapshot() -> (Date?, RoundsError?) {
        lock.lock(); defer { lock.unlock() }
        return (lastSynced, lastError)
    }
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

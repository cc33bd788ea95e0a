import Foundation
import Security
import UIKit
import Rounds
import RoundsFFI

/// Holds the signed-in session and runs every call off the main actor (the
/// core blocks on its database). A refusal becomes `message`, in the phone's
/// language; views never catch anything themselves.
@MainActor
final class FieldModel: ObservableObject {
    @Published private(set) var staff: StaffMember?
    @Published private(set) var tasks: [TaskRow] = []
    /// The company's rules and calendar the phone applies; nil until read.
    @Published private(set) var rules: RulesInForce?
    @Published private(set) var indicator: SyncIndicatorState?
    /// The running sync's progress; nil when none runs.
    @Published private(set) var syncing: SyncProgress?
    @Published var message: String?
    /// Set when this phone's store no longer opens with the key in the
    /// Keychain: what to tell the user before `startAfresh` clears it.
    @Published private(set) var keyLost: StoreKeyLost?
    private var session: RoundsSession?
    private var syncJob: SyncJob?

    var lastServer: String { UserDefaults.standard.string(forKey: "server.url") ?? "" }

    init() {
        if let saved = SavedSignIn.load() {
            open { try RoundsSession.resume(appDirectory: $0, storeKey: try StoreKeychain.storeKey(), credentials: saved) }
        }
    }

    /// Signs in against the server; the role and estates come from its account.
    func signIn(server: String, username: String, password: String) {
        let device = UIDevice.current.name
        Task {
            do {
                let dir = try Self.appDirectory()
                let key = try StoreKeychain.storeKey()
                let opened = try await Task.detached {
                    try RoundsSession.signIn(appDirectory: dir, storeKey: key, serverURL: server, username: username, password: password, deviceName: device)
                }.value
                if let c = opened.credentials { SavedSignIn.save(c) }
                UserDefaults.standard.set(server, forKey: "server.url")
                use(opened)
            } catch RoundsError.WrongStoreKey {
                keyLost = StoreKeychain.lostWords
            } catch {
                show(error)
            }
        }
    }

    /// The user read `keyLost` and agreed: the unreadable store is set aside
    /// and its key forgotten; the next sign-in syncs the records back from
    /// the server. Unsynced changes in the old store are lost.
    func startAfresh() {
        do {
            try StoreKeychain.startAfresh(appDirectory: Self.appDirectory())
            SavedSignIn.clear()
            keyLost = nil
        } catch {
            show(error)
        }
    }

    func signOut() {
        syncJob?.cancel()
        session = nil
        staff = nil
        indicator = nil
        SavedSignIn.clear()
    }

    /// Out of backups: the store is useless without its key, which stays on
    /// this phone (`ThisDeviceOnly`).
    private static func appDirectory() throws -> URL {
        var dir = try FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
            .appendingPathComponent("rounds")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try dir.setResourceValues(values)
        return dir
    }

    private func open(_ make: (URL) throws -> RoundsSession) {
        do {
            use(try make(Self.appDirectory()))
        } catch RoundsError.WrongStoreKey {
            keyLost = StoreKeychain.lostWords
        } catch {
            show(error)
        }
    }

    private func use(_ opened: RoundsSession) {
        session = opened
        staff = opened.staff
        refresh()
        sync()
    }

    func refresh() {
        call({ (try $0.myTasks(), try $0.syncIndicator(), try $0.rulesInForce()) }) { tasks, indicator, rules in
            self.tasks = tasks
            self.indicator = indicator
            self.rules = rules
        }
    }

    /// Syncs in the background; the screens stay usable meanwhile.
    func sync() {
        guard let session, syncJob == nil else { return }
        let job = SyncJob()
        syncJob = job
        syncing = SyncProgress(recordsSent: 0, recordsReceived: 0, recordsWaiting: 0, attachmentsSent: 0, attachmentsReceived: 0)
        Task {
            do {
                try await Task.detached {
                    try session.sync(job: job) { progress in
                        Task { @MainActor in self.syncing = progress }
                    }
                }.value
            } catch RoundsError.Cancelled, RoundsError.Offline {
                // The indicator says offline; no alert for a basement.
            } catch let error as RoundsError {
                if case .SignedOut = error {
                    show(error)
                    syncJob = nil
                    syncing = nil
                    signOut()
                    return
                }
                show(error)
            } catch {
                show(error)
            }
            syncJob = nil
            syncing = nil
            refresh()
        }
    }

    /// The indicator's stop button.
    func cancelSync() { syncJob?.cancel() }

    /// Runs `op` against the session in the background, then `done` on the main actor.
    func call<T>(_ op: @escaping @Sendable (RoundsSession) throws -> T, done: @escaping (T) -> Void = { _ in }) {
        guard let session else { return }
        Task {
            do {
                let value = try await Task.detached { try op(session) }.value
                done(value)
            } catch {
                show(error)
            }
        }
    }

    /// Like `call`, then reloads today's list and the indicator (a step changed a record).
    func step<T>(_ op: @escaping @Sendable (RoundsSession) throws -> T, done: @escaping (T) -> Void = { _ in }) {
        call(op) { value in
            done(value)
            self.refresh()
        }
    }

    private func show(_ error: Error) {
        message = (error as? RoundsError)?.message() ?? error.localizedDescription
    }
}

/// The sign-in the server gave this phone, kept in the Keychain so the app
/// reopens without the password. The token is this phone's alone.
enum SavedSignIn {
    private static let query: [String: Any] = [
        kSecClass as String: kSecClassGenericPassword,
        kSecAttrService as String: "app.rounds.field",
        kSecAttrAccount as String: "sign-in",
    ]

    private struct Saved: Codable {
        var serverURL, token, id, name, role: String
        var estates: [String]
    }

    static func load() -> Credentials? {
        var q = query
        q[kSecReturnData as String] = true
        var item: CFTypeRef?
        guard SecItemCopyMatching(q as CFDictionary, &item) == errSecSuccess,
              let data = item as? Data,
              let s = try? JSONDecoder().decode(Saved.self, from: data),
              let role = Role.all.first(where: { "\($0)" == s.role }) else { return nil }
        return Credentials(serverUrl: s.serverURL, token: s.token,
                           staff: StaffMember(id: s.id, name: s.name, role: role, estates: s.estates))
    }

    static func save(_ c: Credentials) {
        let s = Saved(serverURL: c.serverUrl, token: c.token, id: c.staff.id, name: c.staff.name,
                      role: "\(c.staff.role)", estates: c.staff.estates)
        guard let data = try? JSONEncoder().encode(s) else { return }
        clear()
        var q = query
        q[kSecValueData as String] = data
        q[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        SecItemAdd(q as CFDictionary, nil)
    }

    static func clear() {
        SecItemDelete(query as CFDictionary)
    }
}

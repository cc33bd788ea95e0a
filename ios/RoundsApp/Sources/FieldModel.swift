import Foundation
import Rounds
import RoundsFFI

/// Holds the signed-in session and runs every call off the main actor (the
/// core blocks on its database). A refusal becomes `message`, in the phone's
/// language; views never catch anything themselves.
@MainActor
final class FieldModel: ObservableObject {
    @Published private(set) var staff: StaffMember?
    @Published private(set) var tasks: [TaskRow] = []
    @Published var message: String?
    private var session: RoundsSession?

    init() {
        if let saved = StaffDefaults.load() { open(saved) }
    }

    func signIn(_ staff: StaffMember) {
        StaffDefaults.save(staff)
        open(staff)
    }

    private func open(_ staff: StaffMember) {
        do {
            let dir = try FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
            session = try RoundsSession.open(appDirectory: dir.appendingPathComponent("rounds"), staff: staff)
            self.staff = staff
            refresh()
        } catch {
            show(error)
        }
    }

    func refresh() {
        call({ try $0.myTasks() }) { self.tasks = $0 }
    }

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

    /// Like `call`, then reloads today's list (a step changed a record).
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

/// Who last signed in on this phone; the server's accounts replace this when sync lands.
enum StaffDefaults {
    static func load() -> StaffMember? {
        let d = UserDefaults.standard
        guard let id = d.string(forKey: "staff.id"),
              let roleName = d.string(forKey: "staff.role"),
              let role = Role.all.first(where: { "\($0)" == roleName }) else { return nil }
        return StaffMember(id: id, name: d.string(forKey: "staff.name") ?? "", role: role,
                           estates: d.stringArray(forKey: "staff.estates") ?? [])
    }

    static func save(_ s: StaffMember) {
        let d = UserDefaults.standard
        d.set(s.id, forKey: "staff.id")
        d.set(s.name, forKey: "staff.name")
        d.set("\(s.role)", forKey: "staff.role")
        d.set(s.estates, forKey: "staff.estates")
    }
}

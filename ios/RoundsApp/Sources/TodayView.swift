import SwiftUI
import Rounds
import RoundsFFI

/// Today's work: my open orders, revisits and rectification notices, soonest
/// due first, overdue in red.
struct TodayView: View {
    @EnvironmentObject var field: FieldModel

    var body: some View {
        List {
            Section { SyncIndicator() }
            // The calendar this phone counts deadlines by is behind: say so.
            if let behind = field.rules?.calendar.behindZh {
                Text(behind).foregroundStyle(.red)
            }
            if field.tasks.isEmpty {
                Text("今天没有待办任务")
            }
            ForEach(field.tasks, id: \.id) { row in
                NavigationLink(value: row) { TaskLine(row: row) }
                    .listRowBackground(row.overdue ? Color.red.opacity(0.12) : nil)
            }
        }
        .navigationTitle("今日任务")
        .navigationDestination(for: TaskRow.self) { row in
            switch row.kind {
            case .workOrder: WorkOrderView(id: OrderId(row.id))
            case .revisit: RevisitView(id: RevisitId(row.id))
            case .rectification: RectificationView(id: row.id)
            default: Text(row.title)
            }
        }
        .toolbar {
            NavigationLink("开始巡查") { PatrolView() }
        }
        .refreshable { field.refresh() }
        .alert(field.message ?? "", isPresented: Binding(get: { field.message != nil }, set: { if !$0 { field.message = nil } })) {}
    }
}

private struct TaskLine: View {
    let row: TaskRow

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Text(recordKindLabel(kind: row.kind).zh).font(.caption)
                if row.emergency { Text("紧急").font(.caption).foregroundStyle(.red) }
                if row.conflicted { Text("有冲突").font(.caption).foregroundStyle(.red) }
            }
            Text(row.title.isEmpty ? (row.category ?? row.id) : row.title).font(.headline)
            HStack {
                if let unit = row.unitId { Text(unit) }
                if let due = row.dueAt { Text("期限 \(due.formatted(date: .abbreviated, time: .shortened))") }
            }
            .font(.subheadline)
            .foregroundStyle(.secondary)
            // Refused at the desk or returned: the reason, so the work is redone right.
            if let reason = row.statusReason {
                Text("理由 Reason: \(reason)").font(.subheadline).foregroundStyle(.red)
            }
        }
    }
}

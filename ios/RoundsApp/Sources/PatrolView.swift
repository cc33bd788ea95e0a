import SwiftUI
import Rounds
import RoundsFFI

/// A patrol checklist made for one hand: pick where from the estate's places
/// and one of the company's checklists (both synced from the office), then one
/// item at a time, the answers as big buttons where the thumb rests. Every
/// answer is recorded in the inspection as it is given, offline. A defect is
/// described and photographed on the spot, then recorded as it is, turned
/// into a work order carrying the item's note, or into a rectification notice
/// to the party responsible, due in a week.
struct PatrolView: View {
    @EnvironmentObject var field: FieldModel
    @Environment(\.dismiss) private var dismiss
    @State private var checklists: [TaskRow] = []
    @State private var inspection: Inspection?
    @State private var places: [PlaceChoice] = []
    @State private var picked: PlaceChoice?
    @State private var detail = ""
    @State private var describing = false
    @State private var defect = ""
    @State private var photos: [Data] = []
    @State private var party = ""
    @State private var shooting = false

    private var items: [InspectionItem] { inspection?.items ?? [] }
    private var next: InspectionItem? { items.first { $0.result == .unchecked } }
    private var checked: Int { items.filter { $0.result != .unchecked }.count }

    var body: some View {
        VStack(spacing: 12) {
            if let inspection {
                ProgressView(value: Double(checked), total: Double(max(items.count, 1)))
                if let item = next {
                    Text(item.titleZh).font(.largeTitle)
                    Text(item.titleEn).font(.body)
                    // Everything below sits at the bottom of the screen, under the thumb.
                    Spacer()
                    if describing {
                        TextField("问题描述", text: $defect, axis: .vertical).textFieldStyle(.roundedBorder)
                        Button("拍照 Photo (\(photos.count))") { shooting = true }
                        big("转工单 Work order", role: .destructive) { openOrder(inspection, item) }
                            .disabled(defect.isEmpty)
                        TextField("整改责任方 Responsible party", text: $party).textFieldStyle(.roundedBorder)
                        big("发整改通知 Rectification notice") { issueNotice(inspection, item) }
                            .disabled(defect.isEmpty || party.isEmpty)
                        HStack {
                            Button("仅记录 Record only") { recordDefect(inspection, item) { _ in } }.disabled(defect.isEmpty)
                            Spacer()
                            Button("取消") { describing = false }
                        }
                    } else {
                        big("正常") { record(inspection, item, .ok) }
                        HStack(spacing: 12) {
                            big("不适用") { record(inspection, item, .notApplicable) }
                            big("有问题", role: .destructive) { describing = true }
                        }
                    }
                } else {
                    Text("巡查完成:\(items.filter { $0.result == .ok }.count) 项正常,\(items.filter { $0.result == .defect }.count) 项问题,已转工单 \(items.filter { $0.followUpId != nil }.count) 张")
                    Spacer()
                    big("提交巡查 Submit") {
                        field.step({ try $0.inspections.submit(inspection.id) }) { _ in dismiss() }
                    }
                }
            } else {
                Text(picked.map { "位置 Where: \($0.group) \($0.label)" } ?? "请选择位置 / pick where").font(.headline)
                PlacePicker(choices: places, picked: $picked)
                TextField("补充说明(可不填) Detail", text: $detail).textFieldStyle(.roundedBorder)
                if checklists.isEmpty { Text("还没有巡查表,请先同步 / no checklists yet: sync first") }
                ForEach(checklists, id: \.id) { template in
                    big(template.title) { start(template) }.disabled(picked == nil)
                }
            }
        }
        .padding()
        .navigationTitle(inspection.map { "\($0.title) \(checked)/\(items.count)" } ?? "巡查 Patrol")
        .sheet(isPresented: $shooting) { CameraPicker { photos.append($0) } }
        .onAppear {
            guard let estate = field.staff?.estates.first else { return }
            field.call({ s in (try s.inspections.checklists(), try s.places(estateId: estate)) }) { loaded in
                (checklists, places) = loaded
            }
        }
    }

    private func big(_ title: String, role: ButtonRole? = nil, action: @escaping () -> Void) -> some View {
        Button(role: role, action: action) {
            Text(title).font(.title2).frame(maxWidth: .infinity, minHeight: 72)
        }
        .buttonStyle(.borderedProminent)
    }

    private func reload(_ id: String) {
        field.call({ try $0.inspections.get(id) }) { inspection = $0 }
    }

    private func start(_ template: TaskRow) {
        guard var where_ = picked?.place else { return }
        where_.detail = detail.trimmingCharacters(in: .whitespaces)
        field.step({ s in try s.inspections.get(s.inspections.start(templateId: template.id, place: where_)) }) {
            inspection = $0
        }
    }

    private func record(_ inspection: Inspection, _ item: InspectionItem, _ result: ItemResult) {
        field.step({ try $0.inspections.record(inspection.id, item: item.id, result: result) }) { _ in
            reload(inspection.id)
        }
    }

    private func openOrder(_ inspection: Inspection, _ item: InspectionItem) {
        let request = OrderRequest(
            id: OrderId.new().value,
            source: OrderSource(kind: .patrolFinding, recordId: nil, itemId: nil),
            category: "general",
            place: inspection.place,
            emergency: false,
            resident: Contact(name: "", phone: ""),
            content: "巡查发现:\(item.titleZh)。\(defect)",
            agreedDueAt: nil,
            reworkOf: nil
        )
        recordDefect(inspection, item) { s in _ = try s.inspections.openOrder(inspection.id, item: item.id, request: request) }
    }

    private func issueNotice(_ inspection: Inspection, _ item: InspectionItem) {
        let draft = RectificationDraft(
            id: nil,
            itemId: item.id,
            place: inspection.place,
            problem: defect,
            responsibleParty: party,
            dueAt: Date().addingTimeInterval(7 * 24 * 3600)
        )
        recordDefect(inspection, item) { s in _ = try s.inspections.issueRectification(inspection.id, draft: draft) }
    }

    /// Records the defect with its note and photos, then `then` on the same item.
    private func recordDefect(_ inspection: Inspection, _ item: InspectionItem, then: @escaping @Sendable (RoundsSession) throws -> Void) {
        let (note, taken) = (defect, photos)
        field.step({ s in
            try s.inspections.record(inspection.id, item: item.id, result: .defect, note: note)
            for jpeg in taken { _ = try s.inspections.addPhoto(inspection.id, item: item.id, bytes: jpeg) }
            try then(s)
        }) { _ in
            describing = false
            defect = ""
            party = ""
            photos = []
            reload(inspection.id)
        }
    }
}

import SwiftUI
import Rounds
import RoundsFFI

/// A patrol checklist made for one hand: pick one of the company's checklists
/// (templates synced from the office), then one item at a time, the answers as
/// big buttons where the thumb rests. Every answer is recorded in the
/// inspection as it is given, offline; a defect becomes a work order on the
/// spot, carrying the item's note.
struct PatrolView: View {
    @EnvironmentObject var field: FieldModel
    @Environment(\.dismiss) private var dismiss
    @State private var checklists: [TaskRow] = []
    @State private var inspection: Inspection?
    @State private var place = ""
    @State private var describing = false
    @State private var defect = ""

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
                        big("记录问题并转工单", role: .destructive) { openOrder(inspection, item) }
                            .disabled(defect.isEmpty)
                        Button("取消") { describing = false }
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
                TextField("位置(楼栋/单元/公共区域)", text: $place).textFieldStyle(.roundedBorder)
                if checklists.isEmpty { Text("还没有巡查表,请先同步 / no checklists yet: sync first") }
                ForEach(checklists, id: \.id) { template in
                    big(template.title) { start(template) }.disabled(place.isEmpty)
                }
                Spacer()
            }
        }
        .padding()
        .navigationTitle(inspection.map { "\($0.title) \(checked)/\(items.count)" } ?? "巡查 Patrol")
        .onAppear { field.call({ try $0.inspections.checklists() }) { checklists = $0 } }
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
        guard let estate = field.staff?.estates.first else { return }
        let where_ = Place(estateId: estate, unitId: nil, commonAreaId: place, detail: place)
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
        let note = defect
        field.step({ s in
            try s.inspections.record(inspection.id, item: item.id, result: .defect, note: note)
            return try s.inspections.openOrder(inspection.id, item: item.id, request: request)
        }) { _ in
            describing = false
            defect = ""
            reload(inspection.id)
        }
    }
}

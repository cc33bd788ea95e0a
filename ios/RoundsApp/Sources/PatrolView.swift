import SwiftUI
import Rounds
import RoundsFFI

/// The building patrol's items (楼宇巡查表); checklists come from the company's
/// templates once the inspections work merges.
private let buildingPatrol: [(item: String, category: String)] = [
    ("楼道照明", "stairwell_light"),
    ("消防栓与灭火器", "fire_equipment"),
    ("安全出口与疏散通道", "fire_exit"),
    ("电梯运行", "lift"),
    ("单元门与门禁", "door_lock"),
    ("墙面与天花(渗水、脱落)", "wall_leak"),
    ("公共排水", "drain_blocked"),
    ("楼道卫生与堆放物", "cleaning"),
]

/// A patrol checklist made for one hand: one item at a time, the answers as
/// big buttons where the thumb rests. A defect becomes a work order on the spot.
struct PatrolView: View {
    private enum Mark { case ok, defect, notApplicable }

    @EnvironmentObject var field: FieldModel
    @Environment(\.dismiss) private var dismiss
    @State private var marks: [Mark] = []
    @State private var orders: [OrderId] = []
    @State private var place = ""
    @State private var describing = false
    @State private var defect = ""

    var body: some View {
        VStack(spacing: 12) {
            ProgressView(value: Double(marks.count), total: Double(buildingPatrol.count))
            TextField("位置(楼栋/单元/公共区域)", text: $place).textFieldStyle(.roundedBorder)
            if marks.count >= buildingPatrol.count {
                Text("巡查完成:\(marks.filter { $0 == .ok }.count) 项正常,\(marks.filter { $0 == .defect }.count) 项问题,已转工单 \(orders.count) 张")
                Spacer()
                big("返回今日任务") { dismiss() }
            } else {
                let current = buildingPatrol[marks.count]
                Text(current.item).font(.largeTitle)
                // Everything below sits at the bottom of the screen, under the thumb.
                Spacer()
                if describing {
                    TextField("问题描述", text: $defect, axis: .vertical).textFieldStyle(.roundedBorder)
                    big("转维修工单", role: .destructive) { openOrder(current) }
                        .disabled(defect.isEmpty || place.isEmpty)
                    Button("取消") { describing = false }
                } else {
                    big("正常") { marks.append(.ok) }
                    HStack(spacing: 12) {
                        big("不适用") { marks.append(.notApplicable) }
                        big("有问题", role: .destructive) { describing = true }
                    }
                    if !marks.isEmpty { Button("上一项") { marks.removeLast() } }
                }
            }
        }
        .padding()
        .navigationTitle("楼宇巡查 \(min(marks.count + 1, buildingPatrol.count))/\(buildingPatrol.count)")
    }

    private func big(_ title: String, role: ButtonRole? = nil, action: @escaping () -> Void) -> some View {
        Button(role: role, action: action) {
            Text(title).font(.title2).frame(maxWidth: .infinity, minHeight: 72)
        }
        .buttonStyle(.borderedProminent)
    }

    private func openOrder(_ current: (item: String, category: String)) {
        guard let estate = field.staff?.estates.first else { return }
        let request = OrderRequest(
            id: OrderId.new().value,
            source: OrderSource(kind: .patrolFinding, recordId: nil, itemId: current.category),
            category: current.category,
            place: Place(estateId: estate, unitId: nil, commonAreaId: place, detail: current.item),
            emergency: false,
            resident: Contact(name: "", phone: ""),
            content: "巡查发现:\(current.item)。\(defect)",
            agreedDueAt: nil,
            reworkOf: nil
        )
        field.step({ try $0.orders.register(request) }) { id in
            orders.append(id)
            marks.append(.defect)
            describing = false
            defect = ""
        }
    }
}

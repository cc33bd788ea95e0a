import SwiftUI
import Rounds
import RoundsFFI

/// A rectification notice (整改通知单) on the inspector's phone: the party's
/// report that the work is done (a note and photos), then the re-inspection
/// (复查) on site that passes it, sends it round again by a new deadline with
/// the reason, or closes it with penalty points. Which form shows follows the
/// status; whether the step is allowed is the core's call.
struct RectificationView: View {
    let id: String
    @EnvironmentObject var field: FieldModel
    @State private var notice: Rectification?
    @State private var note = ""
    @State private var photos: [Data] = []
    @State private var shooting = false
    @State private var days = 3
    @State private var points = 0

    var body: some View {
        Form {
            if let n = notice {
                Section {
                    Text(n.problem).font(.headline)
                    Text("责任方 \(n.responsibleParty) · 期限 \(n.dueAt.formatted(date: .abbreviated, time: .shortened))")
                    if n.secondRounds > 0 { Text("已二次整改 \(n.secondRounds) 次").foregroundStyle(.red) }
                    Text("整改报告 \(n.reports) 次")
                }
                switch n.status {
                case .awaitingRectification?, .secondRectification?:
                    Section("责任方已整改 The party reports it done") {
                        TextField("整改情况", text: $note, axis: .vertical)
                        Button("拍照 Photo (\(photos.count))") { shooting = true }
                        Button("提交整改报告") {
                            let (text, taken) = (note, photos)
                            step { try $0.rectifications.reportDone(id, note: text, photos: taken) }
                        }
                        .disabled(note.trimmingCharacters(in: .whitespaces).isEmpty)
                    }
                case .awaitingReinspection?:
                    Section("复查 Re-inspection") {
                        TextField("复查意见(再次整改或扣分须写明理由)", text: $note, axis: .vertical)
                        Button("合格 Passed") { verdict(.passed(note: note)) }
                        Stepper("再整改 \(days) 天", value: $days, in: 1...30)
                        Button("再次整改") {
                            verdict(.again(reason: note, dueAt: Date().addingTimeInterval(Double(days) * 24 * 3600)))
                        }
                        Stepper("扣分 \(points)", value: $points, in: 0...100)
                        Button("扣分结案", role: .destructive) { verdict(.penalty(points: Int64(points), reason: note)) }
                            .disabled(points == 0)
                    }
                case .rectified?:
                    Text("复查合格 Passed")
                case .closedWithPenalty?:
                    Text("已扣分 \(n.penaltyPoints) 分").foregroundStyle(.red)
                case nil:
                    Text("复查结论有冲突,需主管处理 / conflicting re-inspections: a supervisor decides").foregroundStyle(.red)
                }
            }
        }
        .navigationTitle(notice.map { "整改 · \($0.statusLabel.zh)" } ?? "整改通知")
        .sheet(isPresented: $shooting) { CameraPicker { photos.append($0) } }
        .onAppear(perform: reload)
    }

    private func reload() {
        field.call({ [id] in try $0.rectifications.get(id) }) { notice = $0 }
    }

    private func verdict(_ v: Reinspection) {
        step { [id] in try $0.rectifications.reinspect(id, verdict: v) }
    }

    /// Runs a step, then shows the notice as the core now has it.
    private func step(_ op: @escaping @Sendable (RoundsSession) throws -> Void) {
        field.step(op) { _ in
            note = ""
            photos = []
            reload()
        }
    }
}

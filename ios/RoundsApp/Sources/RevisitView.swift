import SwiftUI
import Rounds
import RoundsFFI

/// The revisit form (回访 / 家访): by phone or in person, the resident's rating
/// and words, and in person their signature. The core says what is missing.
struct RevisitView: View {
    @EnvironmentObject var field: FieldModel
    @Environment(\.dismiss) private var dismiss
    let id: RevisitId
    @State private var revisit: Revisit?
    @State private var method: VisitMethod = .phone
    @State private var rating: Satisfaction?
    @State private var comments = ""
    @State private var residentName = ""
    @State private var discrepancy = false
    @State private var strokes: [[CGPoint]] = []

    private let ratings: [(Satisfaction, String)] = [
        (.verySatisfied, "非常满意"), (.satisfied, "满意"), (.neutral, "一般"),
        (.dissatisfied, "不满意"), (.veryDissatisfied, "非常不满意"),
    ]

    var body: some View {
        Form {
            if let r = revisit {
                Text(r.place.unitId ?? r.place.commonAreaId ?? r.place.estateId).font(.headline)
                if r.status != .planned {
                    Text("已完成")
                } else {
                    Picker("方式", selection: $method) {
                        Text("电话").tag(VisitMethod.phone)
                        Text("上门").tag(VisitMethod.inPerson)
                    }
                    .pickerStyle(.segmented)
                    Picker("满意度", selection: $rating) {
                        Text("请选择").tag(Satisfaction?.none)
                        ForEach(ratings, id: \.0) { Text($0.1).tag(Satisfaction?.some($0.0)) }
                    }
                    TextField("住户意见", text: $comments, axis: .vertical)
                    Toggle("住户说法与部门报告不符", isOn: $discrepancy)
                    TextField("住户姓名", text: $residentName)
                    if method == .inPerson {
                        Section("住户签字") { SignaturePad(strokes: $strokes) }
                    }
                    Button("提交回访", action: submit)
                }
            }
        }
        .navigationTitle(revisit?.reason == .homeVisit ? "家访" : "回访")
        .onAppear {
            field.call({ try $0.revisits.get(id) }) { r in
                revisit = r
                method = r.plannedMethod
            }
        }
    }

    private func submit() {
        let answer = RevisitAnswer(method: method, satisfaction: rating, comments: comments,
                                   promisedReplyAt: nil, residentName: residentName, discrepancy: discrepancy)
        let png = method == .inPerson && !strokes.isEmpty ? SignaturePad.png(strokes) : nil
        field.step({ try $0.revisits.record(id, answer, signaturePng: png) }) { _ in dismiss() }
    }
}

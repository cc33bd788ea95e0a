import SwiftUI
import Rounds
import RoundsFFI

/// One work order on site: accept, quote, start, materials, photos, hours,
/// complete, and the resident's signature. Which buttons show follows the
/// status; whether a step is allowed is the core's call.
struct WorkOrderView: View {
    @EnvironmentObject var field: FieldModel
    let id: OrderId
    @State private var order: WorkOrder?
    @State private var quote = ""
    @State private var material = ""
    @State private var quantity = "1"
    @State private var unit = "个"
    @State private var price = ""
    @State private var workDone = ""
    @State private var prepMinutes = "0"
    @State private var labour = ""
    @State private var residentName = ""
    @State private var strokes: [[CGPoint]] = []
    @State private var camera = false
    @State private var prices: [PriceItem] = []

    var body: some View {
        Form {
            if let o = order {
                Section {
                    Text(o.content).font(.headline)
                    Text("住户 \(o.resident.name) \(o.resident.phone)")
                    if o.emergency { Text("紧急").foregroundStyle(.red) }
                    if let q = o.fees.quotedFen { Text("报价 \(formatYuan(q))") }
                    ForEach(o.fees.quoteLines, id: \.itemId) { Text("\($0.nameZh) \(formatYuan($0.unitPriceFen)) × \($0.quantity)\($0.unit)") }
                    Text("验收签字:\(o.signoffLabel.zh)")
                }
                switch o.status {
                case .dispatched?:
                    Button("接单") { step { try $0.orders.accept(id) } }
                case .accepted?:
                    if o.fees.paidService && !prices.isEmpty {
                        QuoteFromList(list: prices) { picks in step { try $0.orders.quoteFromList(id, picks: picks) } }
                    }
                    Section("有偿服务需先报价") {
                        // A company without a price list quotes an amount.
                        if prices.isEmpty {
                            TextField("报价(元)", text: $quote).keyboardType(.decimalPad)
                            Button("报价") { if let fen = parseYuan(quote) { step { try $0.orders.quote(id, fen: fen) } } }
                        }
                        Button("开工") { step { try $0.orders.startWork(id) } }
                    }
                case .inProgress?:
                    onSite(o)
                case .completed?:
                    Section("请住户检查后签字验收") {
                        TextField("住户姓名", text: $residentName)
                        SignaturePad(strokes: $strokes)
                        HStack {
                            Button("重签") { strokes = [] }
                            Spacer()
                            Button("确认签字") {
                                guard let png = SignaturePad.png(strokes) else { return }
                                let name = residentName
                                step { try $0.orders.signOff(id, residentName: name, signaturePng: png) }
                            }
                            .disabled(strokes.isEmpty)
                        }
                    }
                default:
                    EmptyView()
                }
                if [.completed, .signedOff, .reviewed, .revisited, .closed].contains(o.status) {
                    CollectFee(order: o) { fen, method, receipt in
                        step { try $0.orders.collectFee(id, amountFen: fen, method: method, receiptNo: receipt) }
                    }
                }
                if !o.materials.isEmpty {
                    Section("材料") {
                        ForEach(o.materials, id: \.id) { Text("\($0.name) × \($0.quantity.formatted()) \($0.unit)  \(formatYuan($0.unitPriceFen))") }
                    }
                }
                if let minutes = o.totalMinutes { Text("工时 \(minutes) 分钟(含准备)") }
                if !o.photos.isEmpty { Text("照片 \(o.photos.count) 张") }
            }
        }
        .navigationTitle(order?.statusLabel.zh ?? "工单")
        .onAppear(perform: reload)
        .sheet(isPresented: $camera) {
            CameraPicker { jpeg in step { try $0.orders.addPhoto(id, jpeg: jpeg, caption: "现场照片") } }
        }
    }

    @ViewBuilder
    private func onSite(_ o: WorkOrder) -> some View {
        Section {
            Button("拍照") { camera = true }
        }
        Section("添加材料") {
            TextField("名称", text: $material)
            HStack {
                TextField("数量", text: $quantity).keyboardType(.decimalPad)
                TextField("单位", text: $unit)
                TextField("单价(元)", text: $price).keyboardType(.decimalPad)
            }
            Button("添加") {
                let m = Material(id: "", name: material, quantity: Double(quantity) ?? 0, unit: unit, unitPriceFen: parseYuan(price) ?? 0)
                step { try $0.orders.addMaterial(id, m) }
                material = ""; price = ""; quantity = "1"
            }
        }
        Section("维修记录") {
            TextField("维修内容", text: $workDone, axis: .vertical)
            TextField("准备时间(分钟)", text: $prepMinutes).keyboardType(.numberPad)
            if o.fees.paidService { TextField("人工费(元)", text: $labour).keyboardType(.decimalPad) }
            Button("完工") {
                let work = WorkRecord(workDone: workDone, startedAt: o.work.startedAt, endedAt: Date(), prepMinutes: Int64(prepMinutes) ?? 0)
                let materialsFen = o.materials.reduce(Int64(0)) { $0 + Int64(($1.quantity * Double($1.unitPriceFen)).rounded()) }
                let labourFen = parseYuan(labour)
                let paid = o.fees.paidService
                step { s in
                    try s.orders.recordWork(id, work)
                    if paid, let labourFen { try s.orders.charge(id, materialsFeeFen: materialsFen, labourFeeFen: labourFen) }
                    try s.orders.complete(id)
                }
            }
        }
    }

    private func reload() {
        field.call({ try $0.orders.get(id) }) { order = $0 }
        field.call({ try $0.orders.priceList() }) { prices = $0 }
    }

    /// Runs a step, then shows the order as the core now has it.
    private func step<T>(_ op: @escaping @Sendable (RoundsSession) throws -> T) {
        field.step(op) { _ in reload() }
    }
}

/// The system camera, handing back a JPEG.
struct CameraPicker: UIViewControllerRepresentable {
    let taken: (Data) -> Void
    @Environment(\.dismiss) private var dismiss

    func makeUIViewController(context: Context) -> UIImagePickerController {
        let picker = UIImagePickerController()
        picker.sourceType = UIImagePickerController.isSourceTypeAvailable(.camera) ? .camera : .photoLibrary
        picker.delegate = context.coordinator
        return picker
    }

    func updateUIViewController(_: UIImagePickerController, context _: Context) {}

    func makeCoordinator() -> Coordinator { Coordinator(self) }

    final class Coordinator: NSObject, UIImagePickerControllerDelegate, UINavigationControllerDelegate {
        let parent: CameraPicker
        init(_ parent: CameraPicker) { self.parent = parent }

        func imagePickerController(_: UIImagePickerController, didFinishPickingMediaWithInfo info: [UIImagePickerController.InfoKey: Any]) {
            if let image = info[.originalImage] as? UIImage, let jpeg = image.jpegData(compressionQuality: 0.8) {
                parent.taken(jpeg)
            }
            parent.dismiss()
        }

        func imagePickerControllerDidCancel(_: UIImagePickerController) { parent.dismiss() }
    }
}

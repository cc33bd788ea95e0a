import SwiftUI
import Rounds
import RoundsFFI

/// The quote picked from the company's price list (价目表), before work: a
/// quantity per item, and the agreed price for an item priced on site (面议).
/// The core and the server check the prices again.
struct QuoteFromList: View {
    let list: [PriceItem]
    let onQuote: ([QuotePick]) -> Void
    @State private var quantities: [String: String] = [:]
    @State private var agreed: [String: String] = [:]

    private var picks: [QuotePick] {
        list.compactMap { item in
            guard let n = UInt32(quantities[item.id] ?? ""), n > 0 else { return nil }
            return QuotePick(itemId: item.id, quantity: n, negotiatedFen: agreed[item.id].flatMap(parseYuan))
        }
    }

    var body: some View {
        Section("按价目表报价") {
            ForEach(list, id: \.id) { item in
                HStack {
                    VStack(alignment: .leading) {
                        Text(item.nameZh)
                        Text(item.priceFen.map { "\(formatYuan($0)) / \(item.unit)" } ?? "面议").font(.caption)
                    }
                    TextField("数量", text: binding(\.quantities, item.id)).keyboardType(.numberPad)
                    if item.priceFen == nil {
                        TextField("议定价(元)", text: binding(\.agreed, item.id)).keyboardType(.decimalPad)
                    }
                }
            }
            Button("报价") { onQuote(picks) }.disabled(picks.isEmpty)
        }
    }

    private func binding(_ map: ReferenceWritableKeyPath<QuoteFromList, [String: String]>, _ key: String) -> Binding<String> {
        Binding(get: { self[keyPath: map][key] ?? "" }, set: { self[keyPath: map][key] = $0 })
    }
}

/// The fee collected (收费) once the work is done: how the resident paid and
/// the receipt handed over.
struct CollectFee: View {
    let order: WorkOrder
    let onCollect: (Int64, PaymentMethod, String) -> Void
    @State private var amount = ""
    @State private var method = PaymentMethod.wechat
    @State private var receipt = ""

    var body: some View {
        let fees = order.fees
        if let collected = fees.collectedFen {
            Text("已收费 \(formatYuan(collected)) · \(fees.paymentMethod.map { paymentMethodLabel(method: $0).zh } ?? "") · 收据 \(fees.receiptNo ?? "")")
        } else if fees.paidService {
            Section("收费:应收 \(formatYuan(fees.chargedFen))") {
                Picker("收款方式", selection: $method) {
                    ForEach([PaymentMethod.cash, .wechat, .alipay, .bankCard, .transfer], id: \.self) {
                        Text(paymentMethodLabel(method: $0).zh).tag($0)
                    }
                }
                TextField("实收(元)", text: $amount).keyboardType(.decimalPad)
                TextField("收据号", text: $receipt)
                Button("确认收费") { if let fen = parseYuan(amount) { onCollect(fen, method, receipt) } }
                    .disabled(parseYuan(amount) == nil || receipt.trimmingCharacters(in: .whitespaces).isEmpty)
            }
        }
    }
}

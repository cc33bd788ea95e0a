import Foundation

/// Fees are kept in fen (分); screens show yuan: 8000 → "¥80.00".
public func formatYuan(_ fen: Int64) -> String {
    let sign = fen < 0 ? "-" : ""
    let abs = fen.magnitude
    return "\(sign)¥\(abs / 100).\(String(format: "%02d", Int(abs % 100)))"
}

/// What a technician types in yuan ("80", "80.5") as fen, or nil if it is not an amount.
public func parseYuan(_ text: String) -> Int64? {
    var t = text.trimmingCharacters(in: .whitespaces)
    if t.hasPrefix("¥") { t.removeFirst() }
    guard let d = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")), d >= 0 else { return nil }
    var fen = d * 100
    var rounded = Decimal()
    NSDecimalRound(&rounded, &fen, 0, .plain)
    guard rounded == fen else { return nil } // more than two decimals
    return NSDecimalNumber(decimal: rounded).int64Value
}

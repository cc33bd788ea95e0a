import RoundsFFI

// Record ids, made on the phone when a form opens so a retried submit names
// the same record; typed so a revisit's id cannot stand in for an order's.

public struct OrderId: Hashable, CustomStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public static func new() -> OrderId { OrderId(newRecordId()) }
    public var description: String { value }
}

public struct RevisitId: Hashable, CustomStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public static func new() -> RevisitId { RevisitId(newRecordId()) }
    public var description: String { value }
}

public struct ComplaintId: Hashable, CustomStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public static func new() -> ComplaintId { ComplaintId(newRecordId()) }
    public var description: String { value }
}

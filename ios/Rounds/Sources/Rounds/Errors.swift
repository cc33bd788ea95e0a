import Foundation
import RoundsFFI

// Every refusal from the core is one RoundsError (made in
// mobile-bindings/src/error.rs) carrying its code (the one the server
// answers for the same refusal) and its message in Chinese and English.

public extension RoundsError {
    /// A `rounds_core::message::ErrorCode` name (`conflict`, `invalid`, …),
    /// or the server's own code for SignedOut and ServerRefused.
    var code: String {
        switch self {
        case let .NotAllowed(code, _, _), let .NotFound(code, _, _), let .Conflict(code, _, _),
             let .UpdateRequired(code, _, _), let .DamagedRecord(code, _, _), let .Rules(code, _, _),
             let .Storage(code, _, _), let .WrongStoreKey(code, _, _), let .Offline(code, _, _), let .Cancelled(code, _, _),
             let .SignedOut(code, _, _), let .ServerRefused(code, _, _):
            return code
        case let .Incomplete(code, _, _, _), let .InvalidInput(code, _, _, _),
             let .FileUnreadable(code, _, _, _):
            return code
        }
    }

    var messageZh: String {
        switch self {
        case let .NotAllowed(_, zh, _), let .NotFound(_, zh, _), let .Conflict(_, zh, _),
             let .UpdateRequired(_, zh, _), let .DamagedRecord(_, zh, _), let .Rules(_, zh, _),
             let .Storage(_, zh, _), let .WrongStoreKey(_, zh, _), let .Offline(_, zh, _), let .Cancelled(_, zh, _),
             let .SignedOut(_, zh, _), let .ServerRefused(_, zh, _):
            return zh
        case let .Incomplete(_, _, zh, _), let .InvalidInput(_, _, zh, _),
             let .FileUnreadable(_, _, zh, _):
            return zh
        }
    }

    var messageEn: String {
        switch self {
        case let .NotAllowed(_, _, en), let .NotFound(_, _, en), let .Conflict(_, _, en),
             let .UpdateRequired(_, _, en), let .DamagedRecord(_, _, en), let .Rules(_, _, en),
             let .Storage(_, _, en), let .WrongStoreKey(_, _, en), let .Offline(_, _, en), let .Cancelled(_, _, en),
             let .SignedOut(_, _, en), let .ServerRefused(_, _, en):
            return en
        case let .Incomplete(_, _, _, en), let .InvalidInput(_, _, _, en),
             let .FileUnreadable(_, _, _, en):
            return en
        }
    }

    /// The message in the user's language: Chinese for any zh locale, else English.
    func message(for locale: Locale = .current) -> String {
        locale.language.languageCode?.identifier == "zh" ? messageZh : messageEn
    }

    /// The form field a refusal is about, for the screen to highlight.
    var field: String? {
        switch self {
        case let .InvalidInput(_, field, _, _): return field
        case let .Incomplete(_, missing, _, _): return missing
        default: return nil
        }
    }
}

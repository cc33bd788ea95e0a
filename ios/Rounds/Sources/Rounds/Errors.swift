import Foundation
import RoundsFFI

// Every refusal from the core is one RoundsError (made in
// mobile-bindings/src/error.rs) carrying its message in Chinese and English.

public extension RoundsError {
    var messageZh: String {
        switch self {
        case let .NotAllowed(zh, _), let .NotFound(zh, _), let .Conflict(zh, _),
             let .UpdateRequired(zh, _), let .DamagedRecord(zh, _), let .Rules(zh, _),
             let .Storage(zh, _), let .Offline(zh, _), let .Cancelled(zh, _):
            return zh
        case let .Incomplete(_, zh, _), let .InvalidInput(_, zh, _), let .FileUnreadable(_, zh, _),
             let .SignedOut(_, zh, _), let .ServerRefused(_, zh, _):
            return zh
        }
    }

    var messageEn: String {
        switch self {
        case let .NotAllowed(_, en), let .NotFound(_, en), let .Conflict(_, en),
             let .UpdateRequired(_, en), let .DamagedRecord(_, en), let .Rules(_, en),
             let .Storage(_, en), let .Offline(_, en), let .Cancelled(_, en):
            return en
        case let .Incomplete(_, _, en), let .InvalidInput(_, _, en), let .FileUnreadable(_, _, en),
             let .SignedOut(_, _, en), let .ServerRefused(_, _, en):
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
        case let .InvalidInput(field, _, _): return field
        case let .Incomplete(missing, _, _): return missing
        default: return nil
        }
    }
}

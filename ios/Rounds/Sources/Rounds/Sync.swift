import Foundation
import RoundsFFI

/// What the sync indicator shows: what waits to go up, when the last sync
/// finished, and why the last one failed, in both languages.
public struct SyncIndicatorState: Sendable {
    public let waiting: PendingUpload
    public let lastSynced: Date?
    public let lastError: RoundsError?
    public let signedIn: Bool

    public var allSent: Bool { waiting.records == 0 && waiting.attachments == 0 }

    public var zh: String {
        if !signedIn { return "未登录,无法同步" }
        switch lastError {
        case .Offline?: return "离线 · \(waitingZh)"
        case .SignedOut?: return "请重新登录 · \(waitingZh)"
        case .some: return "同步失败 · \(waitingZh)"
        case nil: return waitingZh
        }
    }

    public var en: String {
        if !signedIn { return "Not signed in: cannot sync" }
        switch lastError {
        case .Offline?: return "Offline · \(waitingEn)"
        case .SignedOut?: return "Sign in again · \(waitingEn)"
        case .some: return "Sync failed · \(waitingEn)"
        case nil: return waitingEn
        }
    }

    public func text(for locale: Locale = .current) -> String {
        locale.language.languageCode?.identifier == "zh" ? zh : en
    }

    private var waitingZh: String {
        if allSent { return "已全部上传" }
        var parts: [String] = []
        if waiting.records > 0 { parts.append("\(waiting.records)条记录") }
        if waiting.attachments > 0 { parts.append("\(waiting.attachments)张照片或签字") }
        return parts.joined(separator: "、") + "待上传"
    }

    private var waitingEn: String {
        if allSent { return "all sent" }
        var parts: [String] = []
        if waiting.records > 0 { parts.append("\(waiting.records) record\(waiting.records == 1 ? "" : "s")") }
        if waiting.attachments > 0 {
            let s = waiting.attachments == 1 ? "" : "s"
            parts.append("\(waiting.attachments) photo\(s) or signature\(s)")
        }
        return parts.joined(separator: " and ") + " waiting to go up"
    }
}

import SwiftUI
import Rounds
import RoundsFFI

/// Says what waits to go up (records, photos and signatures) and whether the
/// last sync failed; tap to sync now. While a sync runs it shows how far it
/// has come and a stop button.
struct SyncIndicator: View {
    @EnvironmentObject var field: FieldModel

    var body: some View {
        HStack {
            if let p = field.syncing {
                ProgressView()
                Text("同步中 · 已上传\(p.recordsSent)条、已接收\(p.recordsReceived)条")
                Spacer()
                Button("停止") { field.cancelSync() }
            } else if let i = field.indicator {
                Image(systemName: i.lastError != nil ? "exclamationmark.icloud" : (i.allSent ? "checkmark.icloud" : "icloud.and.arrow.up"))
                    .foregroundStyle(i.lastError != nil ? .red : (i.allSent ? .green : .orange))
                Text(i.text())
                Spacer()
                Button("同步") { field.sync() }
            }
        }
        .font(.footnote)
    }
}

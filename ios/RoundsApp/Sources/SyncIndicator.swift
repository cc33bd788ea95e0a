import SwiftUI

/// Says where the records are. Everything is saved on the phone first; the
/// sync client is not merged yet (mobile-bindings/src/sync.rs), so this says
/// so plainly. When it lands it shows what is waiting to go up.
struct SyncIndicator: View {
    var body: some View {
        Label("已保存在本机 · 尚未接入同步", systemImage: "iphone")
            .font(.footnote)
            .foregroundStyle(.secondary)
    }
}

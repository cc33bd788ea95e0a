import SwiftUI
import Rounds
import RoundsFFI

@main
struct RoundsApp: App {
    @StateObject private var field = FieldModel()

    var body: some Scene {
        WindowGroup {
            if field.staff == nil {
                SignInView()
                    .environmentObject(field)
            } else {
                NavigationStack {
                    TodayView()
                }
                .environmentObject(field)
            }
        }
    }
}

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
                    // No way round it but agreeing: the store cannot be read without its key.
                    .alert(field.keyLost?.startAfresh.zh ?? "", isPresented: .constant(field.keyLost != nil)) {
                        Button(field.keyLost?.startAfresh.zh ?? "", role: .destructive) { field.startAfresh() }
                    } message: {
                        Text("\(field.keyLost?.warning.zh ?? "")\n\n\(field.keyLost?.warning.en ?? "")")
                    }
            } else {
                NavigationStack {
                    TodayView()
                }
                .environmentObject(field)
            }
        }
    }
}

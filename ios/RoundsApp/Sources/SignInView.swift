import SwiftUI
import Rounds
import RoundsFFI

/// Signs in against the company's server. Who the person is (name, role,
/// estates) comes from the server's account, never from this form.
struct SignInView: View {
    @EnvironmentObject var field: FieldModel
    @State private var server = ""
    @State private var username = ""
    @State private var password = ""

    var body: some View {
        Form {
            Section("登录 Rounds") {
                TextField("服务器地址", text: $server, prompt: Text("https://rounds.example.com"))
                    .keyboardType(.URL)
                    .textInputAutocapitalization(.never)
                    .autocorrectionDisabled()
                TextField("用户名", text: $username)
                    .textInputAutocapitalization(.never)
                    .autocorrectionDisabled()
                SecureField("密码", text: $password)
            }
            // A refused sign-in (wrong password, a revoked phone, no network).
            if let message = field.message {
                Text(message).foregroundStyle(.red)
            }
            Button("登录") {
                field.message = nil
                field.signIn(server: server, username: username, password: password)
            }
            .disabled(server.isEmpty || username.isEmpty || password.isEmpty)
        }
        .onAppear { if server.isEmpty { server = field.lastServer } }
    }
}

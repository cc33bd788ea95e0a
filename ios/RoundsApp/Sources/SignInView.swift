import SwiftUI
import Rounds
import RoundsFFI

/// Who uses this phone. Replaced by the server's sign-in when sync lands.
struct SignInView: View {
    @EnvironmentObject var field: FieldModel
    @State private var id = ""
    @State private var name = ""
    @State private var estates = ""
    @State private var role: Role = .technician

    var body: some View {
        Form {
            Section("登录 Rounds") {
                TextField("工号", text: $id)
                TextField("姓名", text: $name)
                TextField("负责的小区(编号,逗号分隔)", text: $estates)
                Picker("岗位", selection: $role) {
                    ForEach(Role.all, id: \.self) { Text($0.label.zh).tag($0) }
                }
            }
            Button("进入") {
                let list = estates.split(whereSeparator: { $0 == "," || $0 == "，" })
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                field.signIn(StaffMember(id: id, name: name, role: role, estates: list))
            }
            .disabled(id.isEmpty || name.isEmpty || estates.isEmpty)
        }
    }
}

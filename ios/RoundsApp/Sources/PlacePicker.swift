import SwiftUI
import RoundsFFI

/// Where, picked from the estate's own places (synced, so it works offline):
/// common areas under their kind, units under building and entrance, and a
/// search by 房号 or name. Nothing typed becomes a place, so the office's
/// lists and the unit's file find the record.
struct PlacePicker: View {
    let choices: [PlaceChoice]
    @Binding var picked: PlaceChoice?
    @State private var search = ""

    private var shown: [PlaceChoice] {
        let s = search.trimmingCharacters(in: .whitespaces)
        return s.isEmpty ? choices : choices.filter { $0.label.contains(s) || $0.group.contains(s) }
    }

    /// The headings in the estate's order, each with its places.
    private var groups: [(String, [PlaceChoice])] {
        var order: [String] = []
        var byGroup: [String: [PlaceChoice]] = [:]
        for c in shown {
            if byGroup[c.group] == nil { order.append(c.group) }
            byGroup[c.group, default: []].append(c)
        }
        return order.map { ($0, byGroup[$0]!) }
    }

    var body: some View {
        List {
            if choices.isEmpty { Text("还没有小区的位置,请先同步 / no places yet: sync first") }
            ForEach(groups, id: \.0) { group, places in
                Section(group) {
                    ForEach(places, id: \.label) { choice in
                        Button {
                            picked = choice
                        } label: {
                            HStack {
                                Text(choice.label)
                                Spacer()
                                if choice == picked { Image(systemName: "checkmark") }
                            }
                        }
                    }
                }
            }
        }
        .searchable(text: $search, prompt: "搜索房号或位置 Search")
        .frame(minHeight: 240)
    }
}

import SwiftUI
import UIKit

/// A pad the resident signs on with a finger (业主验收签字).
struct SignaturePad: View {
    @Binding var strokes: [[CGPoint]]
    private let size = CGSize(width: 320, height: 180)

    var body: some View {
        Canvas { context, _ in
            for stroke in strokes where stroke.count > 1 {
                var path = Path()
                path.addLines(stroke)
                context.stroke(path, with: .color(.black), style: StrokeStyle(lineWidth: 3, lineCap: .round))
            }
        }
        .frame(width: size.width, height: size.height)
        .background(Color.white)
        .border(Color.gray)
        .gesture(
            DragGesture(minimumDistance: 0)
                .onChanged { value in
                    if value.translation == .zero || strokes.isEmpty { strokes.append([]) }
                    strokes[strokes.count - 1].append(value.location)
                }
        )
    }

    /// The signature as a PNG, black on white, as the core stores it.
    static func png(_ strokes: [[CGPoint]], size: CGSize = CGSize(width: 320, height: 180)) -> Data? {
        let image = UIGraphicsImageRenderer(size: size).image { ctx in
            UIColor.white.setFill()
            ctx.fill(CGRect(origin: .zero, size: size))
            UIColor.black.setStroke()
            for stroke in strokes where stroke.count > 1 {
                let path = UIBezierPath()
                path.lineWidth = 3
                path.lineCapStyle = .round
                path.move(to: stroke[0])
                stroke.dropFirst().forEach { path.addLine(to: $0) }
                path.stroke()
            }
        }
        return image.pngData()
    }
}

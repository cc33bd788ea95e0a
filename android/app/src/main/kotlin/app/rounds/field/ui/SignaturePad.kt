package app.rounds.field.ui

import android.graphics.Bitmap
import android.graphics.Paint
import androidx.compose.foundation.Canvas
import androidx.compose.foundation.background
import androidx.compose.foundation.border
import androidx.compose.foundation.gestures.detectDragGestures
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.runtime.Composable
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.snapshots.SnapshotStateList
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.Path
import androidx.compose.ui.graphics.StrokeCap
import androidx.compose.ui.graphics.drawscope.Stroke
import androidx.compose.ui.input.pointer.pointerInput
import androidx.compose.ui.layout.onSizeChanged
import androidx.compose.ui.unit.IntSize
import androidx.compose.ui.unit.dp
import java.io.ByteArrayOutputStream

/** The strokes a resident drew, and the size of the pad they drew them on. */
class Signature {
    internal val strokes: SnapshotStateList<SnapshotStateList<Offset>> = mutableStateListOf()
    internal var size = IntSize.Zero

    val isEmpty: Boolean get() = strokes.none { it.size > 1 }

    fun clear() = strokes.clear()

    /** The signature as a PNG, black on white, as the core stores it. */
    fun toPng(): ByteArray {
        val w = size.width.coerceAtLeast(1)
        val h = size.height.coerceAtLeast(1)
        val bitmap = Bitmap.createBitmap(w, h, Bitmap.Config.ARGB_8888)
        val canvas = android.graphics.Canvas(bitmap)
        canvas.drawColor(android.graphics.Color.WHITE)
        val paint = Paint().apply {
            color = android.graphics.Color.BLACK
            strokeWidth = 6f
            style = Paint.Style.STROKE
            strokeCap = Paint.Cap.ROUND
            isAntiAlias = true
        }
        for (stroke in strokes) {
            for (i in 1 until stroke.size) {
                canvas.drawLine(stroke[i - 1].x, stroke[i - 1].y, stroke[i].x, stroke[i].y, paint)
            }
        }
        return ByteArrayOutputStream().use {
            bitmap.compress(Bitmap.CompressFormat.PNG, 100, it)
            it.toByteArray()
        }
    }
}

@Composable
fun rememberSignature() = remember { Signature() }

/** A pad the resident signs on with a finger (业主验收签字). */
@Composable
fun SignaturePad(signature: Signature, modifier: Modifier = Modifier) {
    Canvas(
        modifier
            .fillMaxWidth()
            .height(180.dp)
            .background(Color.White)
            .border(1.dp, Color.Gray)
            .onSizeChanged { signature.size = it }
            .pointerInput(signature) {
                detectDragGestures(
                    onDragStart = { signature.strokes.add(mutableStateListOf(it)) },
                    onDrag = { change, _ ->
                        change.consume()
                        signature.strokes.lastOrNull()?.add(change.position)
                    },
                )
            },
    ) {
        for (stroke in signature.strokes) {
            if (stroke.size < 2) continue
            val path = Path().apply {
                moveTo(stroke[0].x, stroke[0].y)
                for (p in stroke.drop(1)) lineTo(p.x, p.y)
            }
            drawPath(path, Color.Black, style = Stroke(width = 6f, cap = StrokeCap.Round))
        }
    }
}

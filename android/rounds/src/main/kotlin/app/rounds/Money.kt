package app.rounds

import java.math.BigDecimal

/** Fees are kept in fen (分); screens show yuan: 8000 → "¥80.00". */
fun formatYuan(fen: Long): String = "¥" + BigDecimal.valueOf(fen, 2).toPlainString()

/** What a technician types in yuan ("80", "80.5") as fen, or null if it is not an amount. */
fun parseYuan(text: String): Long? =
    text.trim().removePrefix("¥").toBigDecimalOrNull()
        ?.takeIf { it.signum() >= 0 && it.scale() <= 2 }
        ?.movePointRight(2)
        ?.longValueExact()

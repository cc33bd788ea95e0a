package app.rounds.field.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateMapOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import app.rounds.ffi.PaymentMethod
import app.rounds.ffi.PriceItem
import app.rounds.ffi.QuotePick
import app.rounds.ffi.WorkOrder
import app.rounds.ffi.paymentMethodLabel
import app.rounds.formatYuan
import app.rounds.parseYuan

/**
 * The quote picked from the company's price list (价目表), before work: a
 * quantity per item, and the agreed price for an item priced on site (面议).
 * The prices come from the list the phone last synced; the core and the
 * server check them again.
 */
@Composable
fun QuoteFromList(list: List<PriceItem>, onQuote: (List<QuotePick>) -> Unit) {
    val quantities = remember { mutableStateMapOf<String, String>() }
    val agreed = remember { mutableStateMapOf<String, String>() }
    Text("按价目表报价", style = MaterialTheme.typography.titleSmall)
    list.forEach { item ->
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Column(Modifier.weight(2f)) {
                Text(item.nameZh)
                Text(item.priceFen?.let { "${formatYuan(it)} / ${item.unit}" } ?: "面议", style = MaterialTheme.typography.bodySmall)
            }
            OutlinedTextField(
                quantities[item.id] ?: "", { quantities[item.id] = it }, label = { Text("数量") }, singleLine = true,
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number), modifier = Modifier.weight(1f),
            )
            if (item.priceFen == null) {
                OutlinedTextField(
                    agreed[item.id] ?: "", { agreed[item.id] = it }, label = { Text("议定价(元)") }, singleLine = true,
                    keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Decimal), modifier = Modifier.weight(1f),
                )
            }
        }
    }
    val picks = list.mapNotNull { item ->
        val n = quantities[item.id]?.toUIntOrNull()?.takeIf { it > 0u } ?: return@mapNotNull null
        QuotePick(itemId = item.id, quantity = n, negotiatedFen = agreed[item.id]?.let(::parseYuan))
    }
    Button({ onQuote(picks) }, Modifier.fillMaxWidth(), enabled = picks.isNotEmpty()) { Text("报价") }
}

/**
 * The fee collected (收费) once the work is done: the amount charged, how the
 * resident paid, and the receipt number handed over.
 */
@Composable
fun CollectFee(o: WorkOrder, onCollect: (Long, PaymentMethod, String) -> Unit) {
    val fees = o.fees
    if (!fees.paidService) return
    fees.collectedFen?.let { collected ->
        val how = fees.paymentMethod?.let { paymentMethodLabel(it).zh } ?: ""
        Text("已收费 ${formatYuan(collected)} · $how · 收据 ${fees.receiptNo ?: ""}")
        return
    }
    var amount by remember(o.id) { mutableStateOf(formatYuan(fees.chargedFen).removePrefix("¥")) }
    var method by remember { mutableStateOf(PaymentMethod.WECHAT) }
    var receipt by remember { mutableStateOf("") }
    Text("收费:应收 ${formatYuan(fees.chargedFen)}", style = MaterialTheme.typography.titleSmall)
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        PaymentMethod.entries.forEach { m ->
            FilterChip(selected = method == m, onClick = { method = m }, label = { Text(paymentMethodLabel(m).zh) })
        }
    }
    OutlinedTextField(amount, { amount = it }, label = { Text("实收(元)") }, singleLine = true,
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Decimal), modifier = Modifier.fillMaxWidth())
    OutlinedTextField(receipt, { receipt = it }, label = { Text("收据号") }, singleLine = true, modifier = Modifier.fillMaxWidth())
    Button(
        onClick = { parseYuan(amount)?.let { onCollect(it, method, receipt) } },
        enabled = parseYuan(amount) != null && receipt.isNotBlank(),
        modifier = Modifier.fillMaxWidth(),
    ) { Text("确认收费") }
}

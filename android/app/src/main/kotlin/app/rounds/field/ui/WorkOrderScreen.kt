package app.rounds.field.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import app.rounds.OrderId
import app.rounds.ffi.Material
import app.rounds.ffi.OrderStatus
import app.rounds.ffi.PriceItem
import app.rounds.ffi.WorkOrder
import app.rounds.ffi.WorkRecord
import app.rounds.field.FieldViewModel
import app.rounds.formatYuan
import app.rounds.parseYuan
import app.rounds.totalTime
import java.time.Instant

/**
 * One work order on site: accept, quote, start, materials, photos, hours,
 * complete, and the resident's signature. Which buttons show follows the
 * status; whether a step is allowed is the core's call.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun WorkOrderScreen(field: FieldViewModel, id: OrderId, back: () -> Unit) {
    var order by remember { mutableStateOf<WorkOrder?>(null) }
    val reload = { field.call({ it.orders[id] }) { order = it } }
    /** Runs a step, then shows the order as the core now has it. */
    fun step(op: (app.rounds.RoundsSession) -> Unit) = field.step(op) { reload() }
    LaunchedEffect(id) { reload() }

    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(order?.let { "${it.statusLabel.zh} · ${it.place.unitId ?: it.place.commonAreaId ?: ""}" } ?: "工单") },
                navigationIcon = { TextButton(onClick = back) { Text("返回") } },
            )
        },
        snackbarHost = { MessageHost(field) },
    ) { padding ->
        val o = order ?: return@Scaffold
        Column(
            Modifier.padding(padding).padding(16.dp).verticalScroll(rememberScrollState()),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            Text(o.content, style = MaterialTheme.typography.titleMedium)
            Text("住户 ${o.resident.name} ${o.resident.phone}")
            if (o.emergency) Text("紧急", color = MaterialTheme.colorScheme.error)
            o.fees.quotedFen?.let { Text("报价 ${formatYuan(it)}") }
            o.fees.quoteLines.forEach { Text("  ${it.nameZh} ${formatYuan(it.unitPriceFen)} × ${it.quantity}${it.unit}") }
            HorizontalDivider()
            when (o.status) {
                OrderStatus.DISPATCHED -> Button({ step { it.orders.accept(id) } }, Modifier.fillMaxWidth()) { Text("接单") }
                OrderStatus.ACCEPTED -> {
                    var prices by remember { mutableStateOf<List<PriceItem>>(emptyList()) }
                    LaunchedEffect(id) { field.call({ it.orders.priceList() }) { prices = it } }
                    if (o.fees.paidService && prices.isNotEmpty()) {
                        QuoteFromList(prices) { picks -> step { it.orders.quoteFromList(id, picks) } }
                    }
                    BeforeWork(o, freeAmount = prices.isEmpty(), onQuote = { fen -> step { it.orders.quote(id, fen) } }, onStart = { step { it.orders.startWork(id) } })
                }
                OrderStatus.IN_PROGRESS -> OnSite(field, id, o, ::step)
                OrderStatus.COMPLETED -> SignOffForm(o, onSign = { name, png -> step { it.orders.signOff(id, name, png) } })
                else -> Unit
            }
            if (o.status in FINISHED) {
                CollectFee(o) { fen, method, receipt -> step { it.orders.collectFee(id, fen, method, receipt) } }
            }
            if (o.materials.isNotEmpty()) {
                Text("材料", style = MaterialTheme.typography.titleSmall)
                o.materials.forEach { Text("${it.name} × ${it.quantity} ${it.unit}  ${formatYuan(it.unitPriceFen)}") }
            }
            o.totalTime?.let { Text("工时 ${it.toMinutes()} 分钟(含准备)") }
            if (o.photos.isNotEmpty()) Text("照片 ${o.photos.size} 张")
            Text("验收签字:${o.signoffLabel.zh}")
        }
    }
}

/** After the work: a paid job's fee is collected at completion or later. */
private val FINISHED = setOf(OrderStatus.COMPLETED, OrderStatus.SIGNED_OFF, OrderStatus.REVIEWED, OrderStatus.REVISITED, OrderStatus.CLOSED)

/** A company without a price list quotes an amount ([freeAmount]). */
@Composable
private fun BeforeWork(o: WorkOrder, freeAmount: Boolean, onQuote: (Long) -> Unit, onStart: () -> Unit) {
    var yuan by remember { mutableStateOf("") }
    if (o.fees.paidService) Text("有偿服务需先报价")
    if (freeAmount) Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedTextField(
            yuan, { yuan = it }, label = { Text("报价(元)") }, singleLine = true,
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Decimal),
            modifier = Modifier.weight(1f),
        )
        OutlinedButton(onClick = { parseYuan(yuan)?.let(onQuote) }, enabled = parseYuan(yuan) != null) { Text("报价") }
    }
    Button(onStart, Modifier.fillMaxWidth()) { Text(if (o.fees.quotedFen != null) "开工" else "开工(免费维修)") }
}

@Composable
private fun OnSite(field: FieldViewModel, id: OrderId, o: WorkOrder, step: ((app.rounds.RoundsSession) -> Unit) -> Unit) {
    val camera = rememberCamera(field) { file -> step { it.orders.addPhoto(id, file, caption = "现场照片") } }
    OutlinedButton(
        onClick = camera,
        modifier = Modifier.fillMaxWidth(),
    ) { Text("拍照") }

    var name by remember { mutableStateOf("") }
    var quantity by remember { mutableStateOf("1") }
    var unit by remember { mutableStateOf("个") }
    var price by remember { mutableStateOf("") }
    Text("添加材料", style = MaterialTheme.typography.titleSmall)
    OutlinedTextField(name, { name = it }, label = { Text("名称") }, singleLine = true, modifier = Modifier.fillMaxWidth())
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedTextField(quantity, { quantity = it }, label = { Text("数量") }, singleLine = true, modifier = Modifier.weight(1f),
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Decimal))
        OutlinedTextField(unit, { unit = it }, label = { Text("单位") }, singleLine = true, modifier = Modifier.weight(1f))
        OutlinedTextField(price, { price = it }, label = { Text("单价(元)") }, singleLine = true, modifier = Modifier.weight(1f),
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Decimal))
    }
    OutlinedButton(onClick = {
        val material = Material(name = name, quantity = quantity.toDoubleOrNull() ?: 0.0, unit = unit, unitPriceFen = parseYuan(price) ?: 0)
        step { it.orders.addMaterial(id, material) }
        name = ""; price = ""; quantity = "1"
    }, modifier = Modifier.fillMaxWidth()) { Text("添加") }

    var workDone by remember(o.id) { mutableStateOf(o.work.workDone) }
    var prep by remember(o.id) { mutableStateOf(o.work.prepMinutes.toString()) }
    var labour by remember { mutableStateOf("") }
    Text("维修记录", style = MaterialTheme.typography.titleSmall)
    OutlinedTextField(workDone, { workDone = it }, label = { Text("维修内容") }, modifier = Modifier.fillMaxWidth())
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedTextField(prep, { prep = it }, label = { Text("准备时间(分钟)") }, singleLine = true, modifier = Modifier.weight(1f),
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number))
        if (o.fees.paidService) {
            OutlinedTextField(labour, { labour = it }, label = { Text("人工费(元)") }, singleLine = true, modifier = Modifier.weight(1f),
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Decimal))
        }
    }
    Button(onClick = {
        val work = WorkRecord(workDone = workDone, startedAt = o.work.startedAt, endedAt = Instant.now(), prepMinutes = prep.toLongOrNull() ?: 0)
        val materialsFen = o.materials.sumOf { Math.round(it.quantity * it.unitPriceFen) }
        val labourFen = parseYuan(labour)
        step {
            it.orders.recordWork(id, work)
            if (o.fees.paidService && labourFen != null) it.orders.charge(id, materialsFen, labourFen)
            it.orders.complete(id)
        }
    }, modifier = Modifier.fillMaxWidth()) { Text("完工") }
}

@Composable
private fun SignOffForm(o: WorkOrder, onSign: (String, ByteArray) -> Unit) {
    val signature = rememberSignature()
    var name by remember(o.id) { mutableStateOf(o.resident.name) }
    Text("请住户检查后签字验收", style = MaterialTheme.typography.titleSmall)
    o.totalTime?.let { Text("工时 ${it.toMinutes()} 分钟;费用 ${formatYuan(o.fees.materialsFeeFen + o.fees.labourFeeFen)}") }
    OutlinedTextField(name, { name = it }, label = { Text("住户姓名") }, singleLine = true, modifier = Modifier.fillMaxWidth())
    SignaturePad(signature)
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedButton(onClick = { signature.clear() }) { Text("重签") }
        Button(onClick = { onSign(name, signature.toPng()) }, enabled = !signature.isEmpty, modifier = Modifier.weight(1f)) { Text("确认签字") }
    }
}

package app.rounds

import app.rounds.ffi.GeoPoint
import app.rounds.ffi.Inspection
import app.rounds.ffi.ItemResult
import app.rounds.ffi.OrderRequest
import app.rounds.ffi.PatrolFinding
import app.rounds.ffi.PatrolRun
import app.rounds.ffi.Place
import app.rounds.ffi.Rectification
import app.rounds.ffi.RectificationDraft
import app.rounds.ffi.Reinspection
import app.rounds.ffi.Rounds
import app.rounds.ffi.TaskRow
import app.rounds.ffi.newRecordId
import java.io.File

/** Inspections (巡查) on a checklist, and defects turned into follow-ups. */
class Inspections internal constructor(private val ffi: Rounds) {
    /** Checklist templates of my estates, to start from. */
    fun checklists(): List<TaskRow> = ffi.checklists()

    /** Starts an inspection on [templateId]'s latest version. */
    fun start(templateId: String, place: Place, location: GeoPoint? = null, id: InspectionId = InspectionId.new()): InspectionId =
        InspectionId(ffi.startInspection(id.value, templateId, place, location))

    operator fun get(id: InspectionId): Inspection = ffi.inspection(id.value)

    fun record(id: InspectionId, itemId: String, result: ItemResult, note: String = "") =
        ffi.recordItem(id.value, itemId, result, note)

    /** Adds a photo to a checklist item; returns its hash. */
    fun addPhoto(id: InspectionId, itemId: String, bytes: ByteArray, mime: String = "image/jpeg"): String =
        ffi.addItemPhoto(id.value, itemId, bytes, mime)

    fun addPhoto(id: InspectionId, itemId: String, file: File, mime: String = "image/jpeg"): String =
        ffi.addItemPhotoFile(id.value, itemId, file.path, mime)

    fun submit(id: InspectionId) = ffi.submitInspection(id.value)

    /** A defect becomes a work order carrying its photos and note. */
    fun openOrder(id: InspectionId, itemId: String, request: OrderRequest): OrderId =
        OrderId(ffi.openOrderFromDefect(id.value, itemId, request))

    /** A defect becomes a rectification notice (整改通知单) to a responsible party. */
    fun issueRectification(id: InspectionId, draft: RectificationDraft): RectificationId =
        RectificationId(ffi.issueRectification(id.value, draft))
}

/**
 * Rectification notices (整改通知单): the responsible party reports the work
 * done, and the re-inspection (复查) passes it, sends it round again by a new
 * deadline, or closes it with penalty points.
 */
class Rectifications internal constructor(private val ffi: Rounds) {
    operator fun get(id: RectificationId): Rectification = ffi.rectification(id.value)

    /** The work is done; the same [reportId] again reports once. */
    fun reportDone(
        id: RectificationId,
        note: String,
        photos: List<ByteArray> = emptyList(),
        mime: String = "image/jpeg",
        reportId: String = newRecordId(),
    ) = ffi.reportRectified(id.value, reportId, note, photos, mime)

    fun reinspect(id: RectificationId, verdict: Reinspection) = ffi.reinspect(id.value, verdict)
}

/** Patrol runs: checkpoints scanned on the way, what the rules found at the end. */
class Patrols internal constructor(private val ffi: Rounds) {
    fun routes(): List<TaskRow> = ffi.patrolRoutes()

    fun start(routeId: String, id: PatrolRunId = PatrolRunId.new()): PatrolRunId =
        PatrolRunId(ffi.startPatrol(id.value, routeId))

    operator fun get(id: PatrolRunId): PatrolRun = ffi.patrol(id.value)

    /** Logs a scan; [elapsedMs] is monotonic time since [start] (not the wall clock). */
    fun scan(id: PatrolRunId, code: String, elapsedMs: Long, location: GeoPoint? = null, scanId: String = "") =
        ffi.scanCheckpoint(id.value, scanId, code, elapsedMs, location)

    fun finish(id: PatrolRunId): List<PatrolFinding> = ffi.finishPatrol(id.value)
}

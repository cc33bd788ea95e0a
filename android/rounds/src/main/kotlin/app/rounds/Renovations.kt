package app.rounds

import app.rounds.ffi.GeoPoint
import app.rounds.ffi.Renovation
import app.rounds.ffi.Rounds
import app.rounds.ffi.TaskRow
import app.rounds.ffi.newRecordId
import java.time.Instant

/**
 * Renovations (二次装修) in the field: the applications of my estates with
 * acceptance due, one application as this person may see it, a renovation
 * patrol (装修巡查) on it — its items recorded and submitted through
 * [Inspections] — a defect raised against its contractor, the works (or
 * their rectification) reported finished, and the acceptance on site (验收).
 * The office registers, decides, permits and keeps the deposit.
 */
class Renovations internal constructor(private val ffi: Rounds) {
    /** The applications of my estates, newest first; `dueAt` is when acceptance is due. */
    fun list(): List<TaskRow> = ffi.renovations()

    /** Those whose works are finished and wait for acceptance on site, soonest due first. */
    fun awaitingAcceptance(): List<TaskRow> =
        list().filter { it.status == "awaiting_acceptance" }.sortedBy { it.dueAt }

    operator fun get(id: RenovationId): Renovation = ffi.renovation(id.value)

    /** The renovation patrols that checked [id], newest first. */
    fun patrols(id: RenovationId): List<TaskRow> = ffi.renovationPatrols(id.value)

    /**
     * A renovation patrol of the application's unit on the renovation
     * checklist [templateId] (category `renovation_patrol` among
     * [Inspections.checklists]); record and submit it as any inspection.
     */
    fun startPatrol(
        id: RenovationId,
        templateId: String,
        location: GeoPoint? = null,
        patrolId: InspectionId = InspectionId.new(),
    ): InspectionId = InspectionId(ffi.startRenovationPatrol(patrolId.value, templateId, id.value, location))

    /** A patrol's defect as a rectification notice (整改通知单) to the application's contractor. */
    fun raiseDefect(
        patrol: InspectionId,
        itemId: String,
        dueAt: Instant,
        noticeId: RectificationId = RectificationId.new(),
    ): RectificationId = RectificationId(ffi.raiseAgainstRenovation(patrol.value, noticeId.value, itemId, dueAt))

    /**
     * The works (or their rectification) finished now; acceptance falls due
     * by the company rules. The same [completionId] again reports once.
     */
    fun reportFinished(id: RenovationId, completionId: String = newRecordId()) =
        ffi.reportRenovationFinished(id.value, completionId)

    /** The works accepted on site. The same [acceptanceId] again (a retried tap) records once. */
    fun pass(id: RenovationId, acceptanceId: String = newRecordId()) =
        ffi.acceptRenovation(id.value, acceptanceId, true, "")

    /** The acceptance failed: [defects] say what is to be rectified. */
    fun fail(id: RenovationId, defects: String, acceptanceId: String = newRecordId()) =
        ffi.acceptRenovation(id.value, acceptanceId, false, defects)
}

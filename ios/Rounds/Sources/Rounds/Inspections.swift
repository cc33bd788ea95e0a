import Foundation
import RoundsFFI

/// Inspections (巡查) on a checklist, and defects turned into follow-ups.
public struct Inspections {
    let ffi: RoundsFFI.Rounds
    init(_ ffi: RoundsFFI.Rounds) { self.ffi = ffi }

    /// Checklist templates of my estates, to start from.
    public func checklists() throws -> [TaskRow] { try ffi.checklists() }

    /// Starts an inspection on the template's latest version; returns its id.
    public func start(templateId: String, place: Place, location: GeoPoint? = nil, id: String = newRecordId()) throws -> String {
        try ffi.startInspection(id: id, templateId: templateId, place: place, location: location)
    }

    public func get(_ id: String) throws -> Inspection { try ffi.inspection(id: id) }

    public func record(_ id: String, item: String, result: ItemResult, note: String = "") throws {
        try ffi.recordItem(id: id, itemId: item, result: result, note: note)
    }

    /// Adds a photo to a checklist item; returns its hash.
    public func addPhoto(_ id: String, item: String, bytes: Data, mime: String = "image/jpeg") throws -> String {
        try ffi.addItemPhoto(id: id, itemId: item, bytes: bytes, mime: mime)
    }

    public func submit(_ id: String) throws { try ffi.submitInspection(id: id) }

    /// A defect becomes a work order carrying its photos and note.
    public func openOrder(_ id: String, item: String, request: OrderRequest) throws -> String {
        try ffi.openOrderFromDefect(inspectionId: id, itemId: item, request: request)
    }

    /// A defect becomes a rectification notice (整改通知单).
    public func issueRectification(_ id: String, draft: RectificationDraft) throws -> String {
        try ffi.issueRectification(inspectionId: id, draft: draft)
    }
}

/// Rectification notices (整改通知单): the responsible party reports the work
/// done, and the re-inspection (复查) passes it, sends it round again by a new
/// deadline, or closes it with penalty points.
public struct Rectifications {
    let ffi: RoundsFFI.Rounds
    init(_ ffi: RoundsFFI.Rounds) { self.ffi = ffi }

    public func get(_ id: String) throws -> Rectification { try ffi.rectification(id: id) }

    /// The work is done; the same `reportId` again reports once.
    public func reportDone(_ id: String, note: String, photos: [Data] = [], mime: String = "image/jpeg", reportId: String = newRecordId()) throws {
        try ffi.reportRectified(id: id, reportId: reportId, note: note, photos: photos, mime: mime)
    }

    public func reinspect(_ id: String, verdict: Reinspection) throws { try ffi.reinspect(id: id, verdict: verdict) }
}

/// Patrol runs: checkpoints scanned on the way, findings at the end.
public struct Patrols {
    let ffi: RoundsFFI.Rounds
    init(_ ffi: RoundsFFI.Rounds) { self.ffi = ffi }

    public func routes() throws -> [TaskRow] { try ffi.patrolRoutes() }

    public func start(routeId: String, id: String = newRecordId()) throws -> String {
        try ffi.startPatrol(id: id, routeId: routeId)
    }

    public func get(_ id: String) throws -> PatrolRun { try ffi.patrol(runId: id) }

    /// Logs a scan; `elapsedMs` is monotonic time since the start, not the wall clock.
    public func scan(_ id: String, code: String, elapsedMs: Int64, location: GeoPoint? = nil, scanId: String = "") throws {
        try ffi.scanCheckpoint(runId: id, scanId: scanId, code: code, elapsedMs: elapsedMs, location: location)
    }

    public func finish(_ id: String) throws -> [PatrolFinding] { try ffi.finishPatrol(runId: id) }
}

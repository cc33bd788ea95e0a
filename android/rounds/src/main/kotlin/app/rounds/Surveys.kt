package app.rounds

import app.rounds.ffi.ItemRating
import app.rounds.ffi.Rounds
import app.rounds.ffi.Satisfaction
import app.rounds.ffi.Survey
import app.rounds.ffi.TaskRow
import app.rounds.ffi.newRecordId

/**
 * Satisfaction surveys (满意度调查) in the field: the surveys collecting
 * forms, one survey's items and sampled households, and a household's form
 * collected at the door. The office opens, sends and counts them.
 */
class Surveys internal constructor(private val ffi: Rounds) {
    /** The surveys of my estates, newest first. */
    fun list(): List<TaskRow> = ffi.surveys()

    /** Those whose forms are being collected now. */
    fun collecting(): List<TaskRow> = list().filter { it.status == "collecting" }

    operator fun get(id: SurveyId): Survey = ffi.survey(id.value)

    /**
     * The household's form: [ratings] by item id, every item once. The same
     * [formId] again (a retried tap) records once.
     */
    fun recordForm(
        id: SurveyId,
        unitId: String,
        ratings: Map<String, Satisfaction>,
        comments: String = "",
        formId: String = newRecordId(),
    ) = ffi.recordSurveyForm(id.value, formId, unitId, ratings.map { (item, rating) -> ItemRating(item, rating) }, comments)
}

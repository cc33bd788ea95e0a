package app.rounds

import app.rounds.ffi.newRecordId

/*
 * Record ids, made on the phone when a form opens, so a retried submit names
 * the same record. Typed so a revisit's id cannot be passed where an order's
 * is meant.
 */

@JvmInline
value class OrderId(val value: String) {
    override fun toString() = value

    companion object {
        fun new() = OrderId(newRecordId())
    }
}

@JvmInline
value class RevisitId(val value: String) {
    override fun toString() = value

    companion object {
        fun new() = RevisitId(newRecordId())
    }
}

@JvmInline
value class CustomerId(val value: String) {
    override fun toString() = value

    companion object {
        fun new() = CustomerId(newRecordId())
    }
}

@JvmInline
value class ComplaintId(val value: String) {
    override fun toString() = value

    companion object {
        fun new() = ComplaintId(newRecordId())
    }
}

@JvmInline
value class InspectionId(val value: String) {
    override fun toString() = value

    companion object {
        fun new() = InspectionId(newRecordId())
    }
}

@JvmInline
value class RectificationId(val value: String) {
    override fun toString() = value

    companion object {
        fun new() = RectificationId(newRecordId())
    }
}

@JvmInline
value class PatrolRunId(val value: String) {
    override fun toString() = value

    companion object {
        fun new() = PatrolRunId(newRecordId())
    }
}

@JvmInline
value class SurveyId(val value: String) {
    override fun toString() = value

    companion object {
        fun new() = SurveyId(newRecordId())
    }
}

@JvmInline
value class KeyId(val value: String) {
    override fun toString() = value

    companion object {
        fun new() = KeyId(newRecordId())
    }
}

@JvmInline
value class RenovationId(val value: String) {
    override fun toString() = value

    companion object {
        fun new() = RenovationId(newRecordId())
    }
}

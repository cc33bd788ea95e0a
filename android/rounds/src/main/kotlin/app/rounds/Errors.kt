package app.rounds

import app.rounds.ffi.RoundsException
import java.util.Locale

/*
 * Every refusal from the core arrives as one sealed RoundsException (made in
 * mobile-bindings/src/error.rs). Each variant carries the message in Chinese
 * and in English; these read it without a `when` at every call site.
 */

val RoundsException.messageZh: String
    get() = when (this) {
        is RoundsException.NotAllowed -> messageZh
        is RoundsException.Incomplete -> messageZh
        is RoundsException.InvalidInput -> messageZh
        is RoundsException.NotFound -> messageZh
        is RoundsException.Conflict -> messageZh
        is RoundsException.UpdateRequired -> messageZh
        is RoundsException.DamagedRecord -> messageZh
        is RoundsException.Rules -> messageZh
        is RoundsException.FileUnreadable -> messageZh
        is RoundsException.Storage -> messageZh
        is RoundsException.Offline -> messageZh
        is RoundsException.SignedOut -> messageZh
        is RoundsException.ServerRefused -> messageZh
        is RoundsException.Cancelled -> messageZh
    }

val RoundsException.messageEn: String
    get() = when (this) {
        is RoundsException.NotAllowed -> messageEn
        is RoundsException.Incomplete -> messageEn
        is RoundsException.InvalidInput -> messageEn
        is RoundsException.NotFound -> messageEn
        is RoundsException.Conflict -> messageEn
        is RoundsException.UpdateRequired -> messageEn
        is RoundsException.DamagedRecord -> messageEn
        is RoundsException.Rules -> messageEn
        is RoundsException.FileUnreadable -> messageEn
        is RoundsException.Storage -> messageEn
        is RoundsException.Offline -> messageEn
        is RoundsException.SignedOut -> messageEn
        is RoundsException.ServerRefused -> messageEn
        is RoundsException.Cancelled -> messageEn
    }

/** The message in the user's language: Chinese for any zh locale, else English. */
fun RoundsException.messageFor(locale: Locale = Locale.getDefault()): String =
    if (locale.language == "zh") messageZh else messageEn

/** The form field a refusal is about, for the screen to highlight, if any. */
val RoundsException.field: String?
    get() = when (this) {
        is RoundsException.InvalidInput -> field
        is RoundsException.Incomplete -> missing
        else -> null
    }

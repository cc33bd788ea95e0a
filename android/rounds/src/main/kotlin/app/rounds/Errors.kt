package app.rounds

import app.rounds.ffi.RoundsException
import java.util.Locale

/*
 * Every refusal from the core arrives as one sealed RoundsException (made in
 * mobile-bindings/src/error.rs). Each variant carries its code and the
 * message in Chinese and in English; these read them without a `when` at
 * every call site.
 */

/**
 * A `rounds_core::message::ErrorCode` name (`conflict`, `invalid`, …), the
 * one the server answers for the same refusal, or the server's own code for
 * SignedOut and ServerRefused.
 */
val RoundsException.code: String
    get() = when (this) {
        is RoundsException.NotAllowed -> code
        is RoundsException.Incomplete -> code
        is RoundsException.InvalidInput -> code
        is RoundsException.NotFound -> code
        is RoundsException.Conflict -> code
        is RoundsException.UpdateRequired -> code
        is RoundsException.DamagedRecord -> code
        is RoundsException.Rules -> code
        is RoundsException.FileUnreadable -> code
        is RoundsException.Storage -> code
        is RoundsException.WrongStoreKey -> code
        is RoundsException.Offline -> code
        is RoundsException.SignedOut -> code
        is RoundsException.ServerRefused -> code
        is RoundsException.Cancelled -> code
    }

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
        is RoundsException.WrongStoreKey -> messageZh
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
        is RoundsException.WrongStoreKey -> messageEn
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

package app.rounds

import org.junit.Assert.fail

/** The exception [step] throws, which must be an [E]; fails the test otherwise. */
inline fun <reified E : Exception> refused(step: () -> Unit): E {
    try {
        step()
    } catch (e: Exception) {
        if (e is E) return e
        fail("expected ${E::class.simpleName}, got $e")
    }
    fail("expected ${E::class.simpleName}, the step was allowed")
    throw AssertionError()
}

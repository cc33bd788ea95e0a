package app.rounds

import app.rounds.ffi.Credentials
import app.rounds.ffi.PendingUpload
import app.rounds.ffi.PlaceChoice
import app.rounds.ffi.RecordKind
import app.rounds.ffi.Rounds
import app.rounds.ffi.RoundsException
import app.rounds.ffi.RulesInForce
import app.rounds.ffi.StaffMember
import app.rounds.ffi.SyncJob
import app.rounds.ffi.SyncListener
import app.rounds.ffi.SyncProgress
import app.rounds.ffi.SyncReport
import app.rounds.ffi.TaskRow
import java.io.File
import java.time.Instant

/**
 * One person signed in on this phone: the app's handle on the shared core.
 *
 * Every call goes through the core's rules; a refusal is thrown as a
 * [app.rounds.ffi.RoundsException] carrying its message in Chinese and English
 * (see [messageFor]). Calls block on the local database, so run them off the
 * main thread; the session is safe to share between threads.
 */
class RoundsSession private constructor(private val ffi: Rounds) : AutoCloseable {
    /** Work orders (报修 / 维修单). */
    val orders = WorkOrders(ffi)

    /** Revisits (回访) and home visits (家访). */
    val revisits = Revisits(ffi)

    /** Company customers: their visits' reports and filing. */
    val customers = Customers(ffi)

    /** Complaints (投诉). */
    val complaints = Complaints(ffi)

    /** Inspections (巡查) on checklists, and defects turned into orders or notices. */
    val inspections = Inspections(ffi)

    /** Patrol runs with checkpoint scans. */
    val patrols = Patrols(ffi)

    /** Rectification notices: the party's report, the re-inspection (复查). */
    val rectifications = Rectifications(ffi)

    /** Satisfaction surveys: a household's form collected at the door. */
    val surveys = Surveys(ffi)

    /** Residents' keys in custody: the weekly check, uses signed on two phones. */
    val keys = Keys(ffi)

    /** Renovations: patrols against an application, acceptance on site. */
    val renovations = Renovations(ffi)

    /** The desk's matters waiting on this department's status report. */
    val deskReports = DeskReports(ffi)

    val staff: StaffMember get() = ffi.staff()

    /** This phone's id, made when the store was first opened. */
    val deviceId: String get() = ffi.deviceId()

    /** My open orders, revisits and rectifications, soonest due first. */
    fun myTasks(): List<TaskRow> = ffi.myTasks()

    /** Records of [kind] past their due time, in my estates. */
    fun overdue(kind: RecordKind = RecordKind.WORK_ORDER): List<TaskRow> = ffi.overdue(kind)

    /** Revisits due within the next [withinDays] days. */
    fun dueRevisits(withinDays: Int = 7): List<TaskRow> {
        require(withinDays >= 0) { "withinDays must not be negative" }
        return ffi.dueRevisits(withinDays.toUInt())
    }

    /**
     * The company's rules and calendar this phone applies: the ones the last
     * sync brought, or the manuals' before the first. [RulesInForce.calendar]'s
     * `behindZh` / `behindEn` say when the calendar does not (or only
     * provisionally) cover today or my furthest deadline: the Today screen
     * shows it.
     */
    fun rulesInForce(): RulesInForce = ffi.rulesInForce()

    /** When a repair of [category] received at [receivedAt] is due under those rules. */
    fun repairDue(category: String, receivedAt: Instant): Instant = ffi.repairDue(category, receivedAt)

    /**
     * The places of [estateId] to pick from instead of typing where: its
     * common areas under their kind, then its units under building and
     * entrance ([PlaceChoice.group]), as the last sync brought them.
     */
    fun places(estateId: String): List<PlaceChoice> = ffi.places(estateId)

    /** Everything recorded for a unit (房号). */
    fun unitHistory(unitId: String): List<TaskRow> = ffi.unitHistory(unitId)

    /**
     * What to keep ([PhoneVault.saveSignIn], wrapped by the Android Keystore)
     * to [resume] after a restart; null for a session [open]ed without a server.
     */
    val credentials: Credentials? get() = ffi.credentials()

    @Volatile private var lastSynced: Instant? = null
    @Volatile private var lastError: RoundsException? = null

    /**
     * Sends what was done on this phone and receives what others did,
     * photos and signatures included. Blocks: run it in a background worker.
     * Cancel it from any thread with [SyncJob.cancel] on the [job] passed in.
     * Screens may keep reading and writing meanwhile.
     *
     * @throws RoundsException.Offline the server cannot be reached; nothing is lost
     * @throws RoundsException.SignedOut the token is no longer taken, or never signed in
     * @throws RoundsException.Cancelled [job] was cancelled
     */
    fun sync(job: SyncJob = SyncJob(), onProgress: SyncProgressListener = SyncProgressListener {}): SyncReport {
        val listener = object : SyncListener {
            override fun onProgress(progress: SyncProgress) = onProgress.onProgress(progress)
        }
        return try {
            ffi.sync(listener, job).also {
                lastSynced = Instant.now()
                lastError = null
            }
        } catch (e: RoundsException) {
            if (e !is RoundsException.Cancelled) lastError = e
            throw e
        }
    }

    /** Records and photos or signatures waiting to go up. */
    fun pendingUpload(): PendingUpload = ffi.pendingUpload()

    /** What the sync indicator shows now. */
    fun syncIndicator(): SyncIndicator = SyncIndicator(
        waiting = pendingUpload(),
        lastSynced = lastSynced,
        lastError = lastError,
        signedIn = credentials != null,
    )

    override fun close() = ffi.close()

    /*
     * Every way in takes [storeKey], the key the phone's store is encrypted
     * with: [PhoneVault.storeKey] (32 bytes, made once, kept wrapped by the
     * Android Keystore). A key that does not open the store throws
     * [RoundsException.WrongStoreKey] and changes nothing; see
     * [PhoneVault.startAfresh].
     */
    companion object {
        /**
         * Signs [username] in to the server at [serverUrl] from this phone and
         * opens the store in [appDir] (the app's private files directory) for
         * the person the server names: role and estates come from the
         * server's account. Blocks on the network.
         *
         * @throws RoundsException.SignedOut wrong username or password, or a revoked phone
         * @throws RoundsException.Offline the server cannot be reached
         * @throws RoundsException.WrongStoreKey [storeKey] does not open the store in [appDir]
         */
        fun signIn(appDir: File, storeKey: ByteArray, serverUrl: String, username: String, password: String, deviceName: String): RoundsSession =
            RoundsSession(Rounds.signIn(appDir.path, storeKey, serverUrl, username, password, deviceName))

        /**
         * Opens the session again from saved [credentials], offline.
         *
         * @throws RoundsException.WrongStoreKey [storeKey] does not open the store in [appDir]
         */
        fun resume(appDir: File, storeKey: ByteArray, credentials: Credentials): RoundsSession =
            RoundsSession(Rounds.resume(appDir.path, storeKey, credentials))

        /**
         * Opens the store in [appDir] for [staff] without a server (tests,
         * tools): [sync] answers [RoundsException.SignedOut]. Several sessions
         * may share one directory, as on a front-desk phone.
         */
        fun open(appDir: File, storeKey: ByteArray, staff: StaffMember): RoundsSession =
            RoundsSession(Rounds.open(appDir.path, storeKey, staff))
    }
}

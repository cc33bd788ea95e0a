package app.rounds

import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.time.Duration

/**
 * A real `rounds-server demo` on loopback, started once for the test run: the
 * binary and port come from run-jvm-tests.sh (system properties
 * `rounds.server.bin` and `rounds.server.port`), the data in a temporary
 * directory. Pages hold ten records, so a phone's first sync takes several
 * round trips, as a long day's does.
 *
 * [startWithRules] starts another, given a company's rules file, on a free
 * port; on the PostgreSQL database the environment's `ROUNDS_KOTLIN_POSTGRES`
 * names when set (scripts/test.d/30-postgres.sh makes one), else on SQLite.
 */
object DemoServer {
    const val PASSWORD = "rounds-demo"
    const val ESTATE = "e-sunshine"

    val base: String by lazy {
        start(
            System.getProperty("rounds.server.port")
                ?: error("run through android/run-jvm-tests.sh: -Drounds.server.port is not set"),
            emptyList(),
        )
    }

    /** Another demo server whose company rules are [rules] (a `--rules` file); its base URL. */
    fun startWithRules(rules: File): String {
        val port = java.net.ServerSocket(0).use { it.localPort }.toString()
        val database = System.getenv("ROUNDS_KOTLIN_POSTGRES")?.let { listOf("--database", it) } ?: emptyList()
        return start(port, listOf("--rules", rules.path) + database)
    }

    private val http: HttpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

    private fun start(port: String, extra: List<String>): String {
        val bin = System.getProperty("rounds.server.bin")
            ?: error("run through android/run-jvm-tests.sh: -Drounds.server.bin is not set")
        val data = Files.createTempDirectory("rounds-server").toFile()
        val log = File(data, "server.log")
        val process = ProcessBuilder(
            bin, "demo",
            "--data-dir", data.path,
            "--listen", "127.0.0.1:$port",
            "--page-docs", "10",
            *extra.toTypedArray(),
        ).redirectErrorStream(true).redirectOutput(log).start()
        Runtime.getRuntime().addShutdownHook(Thread {
            process.destroy()
            process.waitFor()
            data.deleteRecursively()
        })
        val base = "http://127.0.0.1:$port"
        val deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos()
        while (System.nanoTime() < deadline) {
            check(process.isAlive) { "rounds-server exited: ${log.readText()}" }
            try {
                get(base, "/v1/orders", token = null)
                return base
            } catch (e: java.io.IOException) {
                Thread.sleep(100)
            }
        }
        error("rounds-server did not answer on $base: ${log.readText()}")
    }

    /** A GET as the office does it: status code and body. */
    fun get(base: String, path: String, token: String?): Pair<Int, String> {
        val request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET()
        token?.let { request.header("Authorization", "Bearer $it") }
        val response = http.send(request.build(), HttpResponse.BodyHandlers.ofString())
        return response.statusCode() to response.body()
    }

    /** A POST of JSON as the office does it: status code and body. */
    fun post(base: String, path: String, token: String, json: String): Pair<Int, String> {
        val request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer $token")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
        val response = http.send(request.build(), HttpResponse.BodyHandlers.ofString())
        return response.statusCode() to response.body()
    }

    /** [username]'s token as the console signs in, for the office's own requests. */
    fun consoleToken(username: String): String {
        val (code, body) = post(base, "/v1/console/login", "", """{"username":"$username","password":"$PASSWORD"}""")
        check(code == 200) { "console login answered $code: $body" }
        return Regex("\"token\":\"([0-9a-f]+)\"").find(body)!!.groupValues[1]
    }

    /** The status the office list shows for [id], from `GET /v1/orders`. */
    fun officeStatus(token: String, id: String): String? {
        val (code, body) = get(base, "/v1/orders", token)
        check(code == 200) { "GET /v1/orders answered $code: $body" }
        val at = body.indexOf("\"id\":\"$id\"")
        if (at < 0) return null
        return Regex("\"status\":\"([a-z_]+)\"").find(body, at)?.groupValues?.get(1)
    }

    /** The status the office reads at `GET /v1/{kind}/{id}` (e.g. rectifications). */
    fun officeViewStatus(token: String, kind: String, id: String): String? {
        val (code, body) = get(base, "/v1/$kind/$id", token)
        check(code == 200) { "GET /v1/$kind/$id answered $code: $body" }
        return Regex("\"status\":\"([a-z_]+)\"").findAll(body).lastOrNull()?.groupValues?.get(1)
    }
}

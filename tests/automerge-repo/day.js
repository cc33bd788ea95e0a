// sync_bench's day of offline work on the automerge-repo sync server.
//
//   node tests/automerge-repo/day.js WORKLOAD_DIR [--limit SECONDS]
//        [--threads N] [--keep-alive-ms MS]
//
// WORKLOAD_DIR is what `sync_bench` writes (manifest.json, morning/, phones/):
// the Automerge documents of the same run, byte for byte. The server
// (server.js, the standard sync-server setup) starts holding the morning's
// shared orders, pushed to it by one client before the clock starts. Then
// every phone, each a Repo with its own WebSocket client adapter and holding
// its documents at the end of the day, connects at once and asks for every
// other document of its estate by id (automerge-repo has no "everything of my
// estate" query, so it is told the ids: a head start Rounds does not get).
// The time runs until every phone holds every document of its estate at the
// heads the server holds, and those are the heads of all the day's work.
//
// The phones are spread over --threads worker threads (4), as sync_bench's
// phones over its threads. The server's WebSocket keep-alive is raised from
// the adapter's 5 s to --keep-alive-ms (10 minutes): at 5 s the server drops
// phones whose answers to its pings queue behind sync traffic, they
// reconnect and sync everything again, and the day does not converge.
//
// Prints one JSON line: seconds, server memory (VmRSS empty, holding the
// morning, after the day; VmHWM), CPU seconds of the server and of the
// phones' process. Exits non-zero if the day did not converge in time.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import net from "node:net"
import { fork } from "node:child_process"
import { Worker } from "node:worker_threads"
import { fileURLToPath } from "node:url"
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import { next as A } from "@automerge/automerge"
import { docIdOf, sortedHeads, sameHeads } from "./docs.js"

// automerge-repo leaves some waits unhandled (a handle that is not ready in
// 60 s rejects with nobody listening); logged, not fatal.
let unhandled = 0
process.on("unhandledRejection", e => {
  if (unhandled++ < 3) console.error(`phones: unhandled: ${e}`)
})

const here = path.dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const workload = args[0]
const option = (name, fallback) => {
  const at = args.indexOf(name)
  return at >= 0 ? Number(args[at + 1]) : fallback
}
const limitSeconds = option("--limit", 600)
const threads = option("--threads", 4)
const keepAliveMs = option("--keep-alive-ms", 600_000)
if (!workload) {
  console.error("usage: node day.js WORKLOAD_DIR [--limit SECONDS] [--threads N] [--keep-alive-ms MS]")
  process.exit(2)
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

function procStatusKib(pid, field) {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find(l => l.startsWith(`${field}:`))
  return Number(line.split(/\s+/)[1])
}

// Median of a few readings of VmRSS, a moment apart, once things settle.
async function sampledRssKib(pid) {
  const readings = []
  for (let i = 0; i < 5; i++) {
    await sleep(100)
    readings.push(procStatusKib(pid, "VmRSS"))
  }
  return readings.sort((a, b) => a - b)[2]
}

function cpuSecondsOf(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")
  // utime and stime, fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.on("error", reject)
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

const manifest = JSON.parse(fs.readFileSync(path.join(workload, "manifest.json"), "utf8"))
const read = (...parts) => new Uint8Array(fs.readFileSync(path.join(workload, ...parts)))

// What the day must end with: every version of each record merged.
const expected = new Map()
for (const [i, phone] of manifest.phones.entries()) {
  for (const id of phone.docs) {
    const bytes = read("phones", String(i), id)
    const doc = expected.get(id)
    expected.set(id, doc ? A.loadIncremental(doc, bytes) : A.load(bytes))
  }
}
for (const [id, doc] of expected) expected.set(id, sortedHeads(doc))
const estateDocs = new Map()
for (const phone of manifest.phones) {
  const docs = estateDocs.get(phone.estate) ?? new Set()
  phone.docs.forEach(id => docs.add(id))
  estateDocs.set(phone.estate, docs)
}

// The server, in its own process, on its own storage.
const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "automerge-repo-bench-"))
const port = await freePort()
const server = fork(path.join(here, "server.js"), [String(port), storageDir, String(keepAliveMs)], {
  stdio: ["ignore", "inherit", "inherit", "ipc"],
})
// The next message of `type` from a child process or a worker thread.
const next = (from, type) =>
  new Promise(resolve => {
    const on = message => {
      if (message.type === type) {
        from.off("message", on)
        resolve(message)
      }
    }
    from.on("message", on)
  })
async function serverHeads(ids) {
  const answer = next(server, "heads")
  server.send({ type: "heads", ids })
  return (await answer).heads
}
// The ids (as uuids) the server does not yet hold at their expected heads.
async function missingOnServer(uuids, headsOf) {
  const held = await serverHeads(uuids.map(docIdOf))
  return uuids.filter(u => !held[docIdOf(u)] || !sameHeads(held[docIdOf(u)], headsOf(u)))
}
await next(server, "listening")
const url = `ws://127.0.0.1:${port}`
const rssEmptyKib = await sampledRssKib(server.pid)

// Morning: the shared orders reach the server (untimed).
const seeder = new Repo({ network: [], peerId: "morning" })
const morningHeads = new Map()
for (const id of manifest.morning) {
  const handle = seeder.import(read("morning", id), { docId: docIdOf(id) })
  morningHeads.set(id, sortedHeads(handle.doc()))
}
seeder.networkSubsystem.addNetworkAdapter(new WebSocketClientAdapter(url))
const seedBy = Date.now() + limitSeconds * 1000
while ((await missingOnServer(manifest.morning, id => morningHeads.get(id))).length > 0) {
  if (Date.now() > seedBy) throw new Error("the server did not take the morning's orders in time")
  await sleep(100)
}
await seeder.shutdown()
const rssMorningKib = await sampledRssKib(server.pid)

// Evening: each phone holds its day's documents, not yet connected; phone i
// in thread i mod threads.
const estateDocsObject = Object.fromEntries([...estateDocs].map(([e, ids]) => [e, [...ids]]))
const workers = [...Array(Math.min(threads, manifest.phones.length)).keys()].map(t => {
  const phones = manifest.phones
    .map((phone, index) => ({ index, ...phone }))
    .filter(p => p.index % threads === t)
  const estates = new Set(phones.map(p => p.estate))
  const expectedHere = {}
  for (const e of estates) for (const id of estateDocs.get(e)) expectedHere[id] = expected.get(id)
  return new Worker(path.join(here, "phones.js"), {
    workerData: { workload, url, phones, estateDocs: estateDocsObject, expected: expectedHere },
  })
})
await Promise.all(workers.map(w => next(w, "ready")))

const serverCpuBefore = cpuSecondsOf(server.pid)
const clientCpuBefore = process.cpuUsage()
const start = performance.now()
const everyPhone = Promise.all(workers.map(w => next(w, "converged")))
workers.forEach(w => w.postMessage({ type: "start" }))
const inTime = await Promise.race([
  everyPhone.then(() => true),
  sleep(limitSeconds * 1000).then(() => false),
])
// Every phone holds the day's heads; the server holds them too.
const all = [...expected.keys()]
let missing = await missingOnServer(all, id => expected.get(id))
while (inTime && missing.length > 0 && performance.now() - start < limitSeconds * 1000) {
  await sleep(50)
  missing = await missingOnServer(all, id => expected.get(id))
}
const seconds = (performance.now() - start) / 1000
async function phonesPending() {
  const answers = workers.map(w => next(w, "status"))
  workers.forEach(w => w.postMessage({ type: "status" }))
  return (await Promise.all(answers)).reduce((n, a) => n + a.pending, 0)
}
const clientCpu = process.cpuUsage(clientCpuBefore)
const result = {
  converged: inTime && missing.length === 0,
  seconds,
  phones: manifest.phones.length,
  docs_held: all.length,
  phones_pending: await phonesPending(),
  docs_missing_on_server: missing.length,
  server_rss_empty_kib: rssEmptyKib,
  server_rss_morning_kib: rssMorningKib,
  server_rss_after_kib: await sampledRssKib(server.pid),
  server_peak_kib: procStatusKib(server.pid, "VmHWM"),
  server_cpu_seconds: cpuSecondsOf(server.pid) - serverCpuBefore,
  phones_cpu_seconds: (clientCpu.user + clientCpu.system) / 1e6,
}

await Promise.all(workers.map(w => {
  const stopped = next(w, "stopped")
  w.postMessage({ type: "stop" })
  return stopped.then(() => w.terminate())
}))
const stopped = new Promise(resolve => server.on("exit", resolve))
server.send({ type: "stop" })
await stopped
fs.rmSync(storageDir, { recursive: true, force: true })
console.log(JSON.stringify(result))
process.exit(result.converged ? 0 : 1)

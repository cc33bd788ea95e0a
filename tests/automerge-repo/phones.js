// A worker thread of day.js holding some of the phones: each its own Repo
// with its own WebSocket client adapter, holding its documents at the end
// of the day. On "start" they all connect; the thread answers "converged"
// once every one of them holds every document of its estate at `expected`.
import fs from "node:fs"
import path from "node:path"
import { parentPort, workerData } from "node:worker_threads"
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import { docIdOf, sortedHeads, sameHeads } from "./docs.js"

const { workload, url, phones: mine, estateDocs, expected } = workerData
const read = (...parts) => new Uint8Array(fs.readFileSync(path.join(workload, ...parts)))

const phones = mine.map(({ index, estate, docs }) => {
  const repo = new Repo({ network: [], peerId: `phone-${index}` })
  for (const id of docs) repo.import(read("phones", String(index), id), { docId: docIdOf(id) })
  return { repo, estate, pending: new Set(estateDocs[estate]) }
})

let converging = phones.length
const watch = (phone, id, handle) => {
  // The event comes with the new document, before the handle calls itself
  // ready when it is the first it has.
  const check = doc => {
    if (!phone.pending.has(id) || !sameHeads(sortedHeads(doc), expected[id])) return
    phone.pending.delete(id)
    if (phone.pending.size === 0 && --converging === 0) parentPort.postMessage({ type: "converged" })
  }
  handle.on("heads-changed", ({ doc }) => check(doc))
  if (handle.isReady()) check(handle.doc())
}

function start() {
  for (const phone of phones) {
    phone.repo.networkSubsystem.addNetworkAdapter(new WebSocketClientAdapter(url))
    for (const id of estateDocs[phone.estate]) {
      const docId = docIdOf(id)
      if (!phone.repo.handles[docId]) {
        // Asked for by id; if the server has it not yet, it sends it when it
        // comes. The handle exists from the call on; the promise may give up
        // (after 60 s) while the document still arrives later.
        phone.repo.find(docId, { allowableStates: ["ready", "unavailable"] }).catch(() => {})
      }
      watch(phone, id, phone.repo.handles[docId])
    }
  }
}

parentPort.on("message", async message => {
  if (message.type === "start") start()
  else if (message.type === "status") {
    parentPort.postMessage({
      type: "status",
      pending: phones.filter(p => p.pending.size > 0).length,
    })
  } else if (message.type === "stop") {
    await Promise.all(phones.map(p => p.repo.shutdown()))
    parentPort.postMessage({ type: "stopped" })
  }
})
parentPort.postMessage({ type: "ready" })

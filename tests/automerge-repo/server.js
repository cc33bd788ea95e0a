// The standard automerge-repo sync server, as its `examples/sync-server`
// sets one up: an HTTP server whose WebSocket upgrades go to a Repo with a
// WebSocketServerAdapter and a NodeFSStorageAdapter, sharing nothing it is
// not asked for by id.
//
// `node server.js PORT DIR [KEEP_ALIVE_MS]` (the adapter's ping interval, 5 s by default). Started by day.js with an IPC channel, over
// which it only answers the bench's questions (heads of the documents it
// holds) outside the timed part.
import http from "node:http"
import { WebSocketServer } from "ws"
import { Repo } from "@automerge/automerge-repo"
import { WebSocketServerAdapter } from "@automerge/automerge-repo-network-websocket"
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs"
import { next as A } from "@automerge/automerge"

// automerge-repo leaves some waits unhandled (a handle that is not ready in
// 60 s rejects with nobody listening); counted and logged, not fatal.
let unhandled = 0
process.on("unhandledRejection", e => {
  if (unhandled++ < 3) console.error(`server: unhandled: ${e}`)
})
const [port, dir, keepAliveMs] = process.argv.slice(2)

const socket = new WebSocketServer({ noServer: true })
const repo = new Repo({
  network: [new WebSocketServerAdapter(socket, Number(keepAliveMs ?? 5000))],
  storage: new NodeFSStorageAdapter(dir),
  peerId: "storage-server-bench",
  // A server only syncs the documents a peer asks for by id.
  sharePolicy: async () => false,
})

const server = http.createServer((_req, res) => {
  res.end("automerge-repo sync server is running")
})
server.on("upgrade", (request, sock, head) => {
  socket.handleUpgrade(request, sock, head, ws => {
    socket.emit("connection", ws, request)
  })
})

// The bench's questions: the sorted heads of each document asked about, as
// held in memory now (null when the server does not hold it).
process.on("message", message => {
  if (message.type === "heads") {
    const heads = {}
    for (const id of message.ids) {
      const handle = repo.handles[id]
      heads[id] =
        handle && handle.isReady() ? A.getHeads(handle.doc()).slice().sort() : null
    }
    process.send({ type: "heads", heads })
  } else if (message.type === "stop") {
    repo.flush().finally(() => process.exit(0))
  }
})

server.listen(Number(port), "127.0.0.1", () => process.send({ type: "listening" }))

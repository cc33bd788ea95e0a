#!/usr/bin/env node
// A JavaScript Automerge client against rounds-server, the way the Rust
// phone would sync: sign in as a new device, pull everything with
// POST /v1/sync, take a work order assigned to the signed-in technician,
// edit it as that technician, and send the changes back.
//
//   node honest-edit.mjs --server http://127.0.0.1:8080 --username tech --password rounds-demo
//   node honest-edit.mjs ... --hostile     # instead rewrite deadline.due_at (a field a technician may not touch)
//
// Honest (default): appends a note and records work (work_done, and
// prep_minutes written as Automerge ints, 20 then corrected to 0), one
// Automerge change per edit with the commit message RecordDoc::commit writes.
// Exit 0 only if the server's result for the order has `heads` and no
// `error`; otherwise the answer is printed and the exit code is 1.
//
// Hostile (--hostile): one change that moves deadline.due_at 30 days later.
// The server ought to refuse it (an `error`): exit 0 if it did, 3 if it
// stored the change, printing the answer either way. (Exit 1 is kept for
// "could not even try": sign-in or pull failed, no order to edit.)
//
// Options may also come from the environment: ROUNDS_SERVER, ROUNDS_USERNAME,
// ROUNDS_PASSWORD. --order ID picks a given work order.
//
// Scalars: see README.md. In short, with @automerge/automerge 3.5.0 a number
// assigned key by key (`map.key = n`) is an int when it is whole, but inside
// a literal ({…}, […], push, insertAt) 0 and negative whole numbers become
// float64 and the Int/Uint/Float64 wrappers turn into a map {value: n}; and a
// plain JS string becomes an Automerge Text object where the Rust codec writes
// a scalar string. So every map here is created empty and filled key by key,
// integers go in as `new Automerge.Int(n)`, strings as ImmutableString, and
// the changes are checked for floats and Text before anything is sent.

import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import * as A from "@automerge/automerge";

const { values: opts } = parseArgs({
  options: {
    server: { type: "string", default: process.env.ROUNDS_SERVER },
    username: { type: "string", default: process.env.ROUNDS_USERNAME },
    password: { type: "string", default: process.env.ROUNDS_PASSWORD },
    order: { type: "string" },
    hostile: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help || !opts.server || !opts.username || !opts.password) {
  console.error("usage: node honest-edit.mjs --server URL --username NAME --password PASSWORD [--order ID] [--hostile]");
  process.exit(opts.help ? 0 : 1);
}

const EXIT_OK = 0;
const EXIT_FAILED = 1; // the honest edit was refused, or the run could not get that far
const EXIT_HOSTILE_ACCEPTED = 3;

const base = opts.server.replace(/\/+$/, "");
const say = (...args) => console.log("js-client:", ...args);
const fail = (message, detail) => {
  console.error(`js-client: FAILED: ${message}`);
  if (detail !== undefined) console.error(typeof detail === "string" ? detail : JSON.stringify(detail, null, 2));
  process.exit(EXIT_FAILED);
};

async function post(path, body, token) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok || json === undefined) fail(`POST ${path} answered ${res.status}`, text);
  return json;
}

// --- The lifecycle, as core/src/documents/lifecycle.rs reads it ----------

/** Transitions nothing follows. */
function tips(events) {
  const followed = new Set(events.flatMap((e) => e.after ?? []));
  return events.filter((e) => !followed.has(e.id));
}

/** The current status, or null when the tips disagree (a conflict). */
function currentStatus(events) {
  const t = tips(events);
  if (t.length === 0) return "registered";
  return t.every((e) => e.to === t[0].to) ? t[0].to : null;
}

/** The assignee of the nearest dispatch behind the tips (a walk back through `after`). */
function assignee(events) {
  const byId = new Map(events.map((e) => [e.id, e]));
  const queue = [...tips(events)];
  const seen = new Set();
  while (queue.length) {
    const e = queue.shift();
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    if (e.assignee != null) return e.assignee;
    for (const id of e.after ?? []) if (byId.has(id)) queue.push(byId.get(id));
  }
  return null;
}

// --- Writing values the way core/src/documents/codec.rs does --------------

/** The document as plain JSON (strings, not ImmutableString; BigInt as Number). */
function plain(doc) {
  return JSON.parse(JSON.stringify(A.toJS(doc), (k, v) => (typeof v === "bigint" ? Number(v) : v)));
}

/** An integer as an Automerge int (never float64), as codec.rs writes an i64. */
function int(n) {
  if (typeof n !== "number" || !Number.isSafeInteger(n)) throw new RangeError(`${n} is not a safe integer`);
  return new A.Int(n);
}

/** A string as an Automerge scalar string (a plain JS string would become a Text object). */
function str(s) {
  return new A.ImmutableString(s);
}

/** The [datatype, value] a scalar written by int()/str()/null/boolean gets. */
function typed(value) {
  if (value instanceof A.Int) return ["int", value.value];
  if (A.isImmutableString(value)) return ["str", value.toString()];
  if (value === null) return ["null", null];
  if (typeof value === "boolean") return ["boolean", value];
  throw new TypeError(`write numbers with int() and strings with str(), got ${typeof value} ${value}`);
}

/**
 * The fields of `fields` that differ, type included, from the scalars of the
 * map at `path` (codec::put_fields writes a scalar only when it differs, so
 * an edit that changes nothing makes no operation). Read before the change.
 */
function changedFields(doc, path, fields) {
  let obj = doc;
  for (const key of path) obj = obj[key];
  const backend = A.getBackend(doc);
  const id = A.getObjectId(obj);
  return Object.fromEntries(
    Object.entries(fields).filter(([key, value]) => {
      const [datatype, current] = backend.getWithType(id, key) ?? [];
      const [want, v] = typed(value);
      return !(datatype === want && (current?.toString?.() ?? current) === (v?.toString?.() ?? v));
    }),
  );
}

/** Puts scalars key by key on an existing map (the per-key path keeps ints ints). */
function putAll(map, fields) {
  for (const [k, v] of Object.entries(fields)) map[k] = v;
}

/** codec::append of a flat record: an empty map pushed, then filled key by key. */
function appendMap(list, fields) {
  list.push({});
  putAll(list[list.length - 1], fields);
}

/** Automerge.change with the commit message and time RecordDoc::commit writes. */
function recordChange(doc, who, what, edit) {
  const message = JSON.stringify({ by: who.staffId, role: who.role, what });
  return A.change(doc, { message, time: Math.floor(who.at / 1000) }, edit);
}

/** The new changes must all be the device's, numbers ints and strings scalars. */
function checkOwnChanges(doc, since, actor) {
  const problems = [];
  for (const bytes of A.getChangesSince(doc, since)) {
    const change = A.decodeChange(bytes);
    if (change.actor !== actor) problems.push(`change ${change.hash} has actor ${change.actor}, not ${actor}`);
    for (const op of change.ops) {
      const where = `change ${change.hash} (${change.message}) writes ${op.key ?? op.elemId}`;
      if (op.action === "set" && (op.datatype === "float64" || op.datatype === "uint")) {
        problems.push(`${where} as ${op.datatype} ${op.value}`);
      }
      if (op.action === "makeText") problems.push(`${where} as a Text object, not a scalar string`);
    }
  }
  return problems;
}

// --- The run -------------------------------------------------------------

const deviceId = randomUUID();
// DeviceId::actor: the UUID's 16 bytes are the Automerge actor id.
const actor = deviceId.replaceAll("-", "");

const login = await post("/v1/login", {
  username: opts.username,
  password: opts.password,
  device_id: deviceId,
  device_name: `js-client ${opts.hostile ? "hostile" : "honest"} edit (node ${process.version})`,
  device_public_key: randomBytes(32).toString("hex"),
});
const staff = login.staff;
say(`signed in as ${staff.id} (${staff.role}) on device ${deviceId}, estates ${staff.estates.join(", ")}`);

// Pull everything: cursor 0, looping while `more`.
const received = new Map(); // id -> {kind, bytes: Buffer[]}
let cursor = 0;
for (let round = 1; ; round++) {
  if (round > 1000) fail("the server kept answering more: true");
  const answer = await post("/v1/sync", { cursor, docs: [] }, login.token);
  for (const d of answer.docs) {
    const entry = received.get(d.id) ?? { kind: d.kind, bytes: [], heads: d.heads };
    entry.bytes.push(Buffer.from(d.changes, "base64"));
    entry.heads = d.heads;
    received.set(d.id, entry);
  }
  cursor = answer.cursor;
  if (!answer.more) break;
}
say(`pulled ${received.size} documents, cursor ${cursor}`);

function loadDoc(id) {
  const entry = received.get(id);
  let doc = A.load(entry.bytes[0], { actor });
  for (const more of entry.bytes.slice(1)) doc = A.loadIncremental(doc, more);
  return doc;
}

// A work order of this technician that is theirs to work on.
const workable = new Set(["dispatched", "accepted", "in_progress"]);
let chosen;
for (const [id, entry] of received) {
  if (entry.kind !== "work_order" || (opts.order && id !== opts.order)) continue;
  const doc = loadDoc(id);
  const events = plain(doc).events ?? [];
  const status = currentStatus(events);
  if (assignee(events) === staff.id && workable.has(status)) {
    chosen = { id, doc, status, serverHeads: entry.heads };
    break;
  }
}
if (!chosen) fail(`no work order assigned to ${staff.id} in ${[...workable].join("/")}${opts.order ? ` with id ${opts.order}` : ""}`);
let doc = chosen.doc;
const heads = A.getHeads(doc);
if ([...heads].sort().join() !== [...chosen.serverHeads].sort().join()) {
  fail("the loaded document's heads are not the heads the server sent", { loaded: heads, sent: chosen.serverHeads });
}
const order = plain(doc);
say(`work order ${chosen.id}: ${chosen.status}, "${order.content}", due ${new Date(order.deadline.due_at).toISOString()}`);

const who = () => ({ staffId: staff.id, role: staff.role, at: Date.now() });
const edits = [];
if (!opts.hostile) {
  // WorkOrderDoc::add_note
  const noteId = randomUUID();
  const w = who();
  doc = recordChange(doc, w, "add note", (d) => {
    appendMap(d.notes, { id: str(noteId), by: str(w.staffId), at: int(w.at), text: str("JS 客户端的备注 / a note from the JS client") });
  });
  edits.push(`add note ${noteId}`);
  // WorkOrderDoc::record_work: the work record's fields, each only when changed.
  let work = changedFields(doc, ["work"], { work_done: str("更换水龙头阀芯 / replaced the tap cartridge"), prep_minutes: int(20) });
  doc = recordChange(doc, who(), "record work", (d) => putAll(d.work, work));
  edits.push(`record work: ${Object.keys(work).join(", ") || "nothing new"}`);
  // A correction: no preparation after all. Zero is the number JS is most
  // likely to write as a float.
  work = changedFields(doc, ["work"], { prep_minutes: int(0) });
  doc = recordChange(doc, who(), "record work", (d) => putAll(d.work, work));
  edits.push(`record work: prep_minutes ${work.prep_minutes ? "0" : "already 0"}`);
} else {
  // Not something WorkOrderDoc lets a technician do: only an approved
  // extension moves the deadline (decide_extension, by a head).
  const due = order.deadline.due_at + 30 * 24 * 3_600_000;
  const deadline = changedFields(doc, ["deadline"], { due_at: int(due) });
  doc = recordChange(doc, who(), "change deadline", (d) => putAll(d.deadline, deadline));
  edits.push(`deadline.due_at ${new Date(order.deadline.due_at).toISOString()} -> ${new Date(due).toISOString()} (hostile)`);
}

const problems = checkOwnChanges(doc, heads, actor);
if (problems.length) fail("the JS changes are not what the Rust phone would write", problems.join("\n"));
const newHeads = A.getHeads(doc);
const changes = A.saveSince(doc, heads);
say(`edits: ${edits.join("; ")}; sending ${changes.length} bytes, heads ${newHeads.join(",")}`);

const answer = await post(
  "/v1/sync",
  { cursor, docs: [{ id: chosen.id, kind: "work_order", heads: newHeads, changes: Buffer.from(changes).toString("base64") }] },
  login.token,
);
const result = answer.results.find((r) => r.id === chosen.id);
const stored = result && result.heads && !result.error;
const shown = JSON.stringify(result ?? answer.results);

if (opts.hostile) {
  if (stored) {
    say(`HOSTILE EDIT ACCEPTED (the server stored a deadline change by a technician): ${shown}`);
    process.exit(EXIT_HOSTILE_ACCEPTED);
  }
  say(`hostile edit refused, as it should be: ${shown}`);
  process.exit(EXIT_OK);
}
if (!stored) {
  console.error(`js-client: FAILED: the server did not store the honest edit of ${chosen.id}`);
  console.error(JSON.stringify(answer, (k, v) => (k === "docs" ? `[${v.length} documents]` : v), 2));
  process.exit(EXIT_FAILED);
}
if ([...result.heads].sort().join() !== [...newHeads].sort().join()) {
  fail("the server stored the edit but answered other heads", { sent: newHeads, answered: result.heads });
}
if (result.warning) say(`warning from the server: ${JSON.stringify(result.warning)}`);
say(`honest edit stored: ${shown}`);
process.exit(EXIT_OK);

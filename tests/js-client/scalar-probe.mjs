// How @automerge/automerge writes JavaScript numbers and strings: prints the
// Automerge datatype each way of writing gets, and saves the document
// (argument 1, default scalar-probe.automerge) so the Rust side can be checked
// too (see README.md). Run: node scalar-probe.mjs [/tmp/probe.automerge]
import { writeFileSync } from "node:fs";
import * as A from "@automerge/automerge";

const out = process.argv[2] ?? "scalar-probe.automerge";

const values = {
  zero: 0,
  negzero: -0,
  one: 1,
  pos: 42,
  ms: 1733100000000,
  neg: -7,
  frac: 1.5,
  negfrac: -0.25,
  whole_float: 3.0,
  max_safe: Number.MAX_SAFE_INTEGER,
  min_safe: Number.MIN_SAFE_INTEGER,
};
const wrapped = {
  int_zero: () => new A.Int(0),
  int_pos: () => new A.Int(42),
  int_neg: () => new A.Int(-7),
  uint_zero: () => new A.Uint(0),
  uint_pos: () => new A.Uint(42),
  f64_zero: () => new A.Float64(0),
  f64_three: () => new A.Float64(3),
  str_plain: () => "abc",
  str_immutable: () => new A.ImmutableString("abc"),
};

// Two ways in: `obj.key = x` on an existing map (the proxy's per-key put), and
// a literal ({…} or […] assigned, pushed, inserted: the batch "hydrate" path).
let doc = A.from({ put: {}, literal: {}, pushed: [] }, { actor: "00112233445566778899aabbccddeeff" });
doc = A.change(doc, (d) => {
  for (const [k, v] of Object.entries(values)) d.put[k] = v;
  for (const [k, f] of Object.entries(wrapped)) d.put[k] = f();
});
doc = A.change(doc, (d) => {
  const lit = { ...values };
  for (const [k, f] of Object.entries(wrapped)) lit[k] = f();
  d.literal.map = lit;
  d.literal.list = [0, -1, 1, 2.5];
});
doc = A.change(doc, (d) => {
  d.pushed.push(0, -1, 1, 2.5, new A.Int(0), "abc", new A.ImmutableString("abc"));
  A.insertAt(d.pushed, d.pushed.length, 0, 5);
});

// The JS side's own view of the operations (decodeChange), change by change.
const show = (v) => (typeof v === "bigint" ? `${v}n` : v);
for (const [i, change] of A.getAllChanges(doc).entries()) {
  let ops;
  try {
    ops = A.decodeChange(change).ops;
  } catch (e) {
    console.log(`change ${i}: decodeChange failed: ${e.message}`);
    continue;
  }
  for (const op of ops) {
    const where = op.key ?? op.elemId;
    if (op.action === "set" && op.datatype === undefined && typeof op.value === "string" && op.value.length === 1) continue; // a text object's characters
    console.log(`change ${i}: ${op.action} ${where}${op.datatype ? ` ${op.datatype}` : ""}${"value" in op ? ` = ${show(op.value)}` : ""}`);
  }
}
const back = A.load(A.save(doc));
console.log("read back put:", JSON.stringify(back.put, (k, v) => show(v)));
console.log("read back literal:", JSON.stringify(back.literal, (k, v) => show(v)));
console.log("read back pushed:", JSON.stringify(back.pushed, (k, v) => show(v)));
console.log(`typeof put.max_safe = ${typeof back.put.max_safe}, typeof put.uint_pos = ${typeof back.put.uint_pos}`);
writeFileSync(out, A.save(doc));
console.log(`saved ${out}`);

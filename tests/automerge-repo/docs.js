// What day.js and its phone threads agree on about documents.
import { interpretAsDocumentId } from "@automerge/automerge-repo"
import { next as A } from "@automerge/automerge"

// A Rounds record id (a UUID) as an automerge-repo document id: the same 16 bytes.
export const docIdOf = uuid =>
  interpretAsDocumentId(Uint8Array.from(Buffer.from(uuid.replaceAll("-", ""), "hex")))

export const sortedHeads = doc => A.getHeads(doc).slice().sort()

export const sameHeads = (a, b) => a.length === b.length && a.every((h, i) => h === b[i])

import { createHash } from "node:crypto";

/**
 * A rollout attaches a new policy beside what is there and never updates in place a policy other
 * targets use: when an orgwarden name is already taken by another document (a new version of the
 * template, say), the new document gets a name of its own, the managed name followed by `-r` and 8
 * hex characters of the document's SHA-256. The same document always gets the same name, so every
 * stage of a rollout, and a resumed one, attaches one policy; and a later apply-scp reads it as a
 * variant of the same library policy (parseManagedName), so it is replaced like any other.
 */
const REVISION_SUFFIX = /-r([0-9a-f]{8})$/;

/** SHA-256 of a policy's content (its minified JSON, as uploaded), in hex. */
export function documentSha256(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** `orgwarden-require-mfa` → `orgwarden-require-mfa-r1a2b3c4d` for this content. */
export function revisionName(managedName: string, content: string): string {
  return `${managedName}-r${documentSha256(content).slice(0, 8)}`;
}

/** A name without its revision suffix, and the revision (undefined for a name that has none). */
export function splitRevision(name: string): { base: string; revision: string | undefined } {
  const m = REVISION_SUFFIX.exec(name);
  return m ? { base: name.slice(0, m.index), revision: m[1] } : { base: name, revision: undefined };
}

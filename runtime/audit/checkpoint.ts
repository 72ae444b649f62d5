/**
 * Checkpoints in the C2SP tlog-checkpoint format, signed as C2SP signed notes with Ed25519:
 *
 *     <origin>\n<size>\n<base64 root>\n[extension lines\n]\n— <key name> <base64(key id ‖ signature)>\n
 *
 * The signature covers the note text (every line up to and including the newline before the
 * blank line). Key id = first 4 bytes of SHA-256(key name ‖ "\n" ‖ 0x01 ‖ 32-byte public key)
 * (0x01: the Ed25519 signature type of the signed-note spec). Our one extension line is
 * `timestamp <ms since epoch>`; verifiers ignore extension lines they do not know.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { AuditError } from "./errors.js";

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  timestamp?: number;
}

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

const EM_DASH = "\u2014";

function bad(what: string): never {
  throw new AuditError("audit_bad_checkpoint", { what });
}

/** The signed text of a checkpoint. */
export function checkpointBody(cp: Checkpoint): string {
  if (!cp.origin || /[\n]/.test(cp.origin)) bad("the origin must be one non-empty line");
  let text = `${cp.origin}\n${cp.size}\n${cp.root.toString("base64")}\n`;
  if (cp.timestamp !== undefined) text += `timestamp ${cp.timestamp}\n`;
  return text;
}

/** The raw 32-byte Ed25519 public key. */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  if (jwk.crv !== "Ed25519" || typeof jwk.x !== "string") bad("the key is not an Ed25519 key");
  return Buffer.from(jwk.x, "base64url");
}

/** Signed-note key id: SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[0:4]. */
export function noteKeyId(name: string, publicKey: KeyObject): Buffer {
  return createHash("sha256")
    .update(`${name}\n`)
    .update(Buffer.from([0x01]))
    .update(rawPublicKey(publicKey))
    .digest()
    .subarray(0, 4);
}

export function toPrivateKey(key: string | KeyObject): KeyObject {
  return typeof key === "string" ? createPrivateKey(key) : key;
}

export function toPublicKey(key: string | KeyObject): KeyObject {
  if (typeof key !== "string") return key.type === "private" ? createPublicKey(key) : key;
  return createPublicKey(key);
}

/** Signs `cp` with an Ed25519 private key (PEM or KeyObject) under `name` (default: the origin). */
export function signCheckpoint(
  cp: Checkpoint,
  privateKey: string | KeyObject,
  name = cp.origin,
): string {
  const key = toPrivateKey(privateKey);
  const body = checkpointBody(cp);
  const sig = sign(null, Buffer.from(body, "utf8"), key);
  const id = noteKeyId(name, createPublicKey(key));
  return `${body}\n${EM_DASH} ${name} ${Buffer.concat([id, sig]).toString("base64")}\n`;
}

/** Parses a signed note holding a checkpoint, without checking signatures. */
export function parseCheckpoint(note: string): {
  checkpoint: Checkpoint;
  body: string;
  signatures: NoteSignature[];
} {
  const split = note.indexOf("\n\n");
  if (split < 0) bad("no blank line before the signatures");
  const body = note.slice(0, split + 1);
  const lines = body.slice(0, -1).split("\n");
  const [origin, sizeText, rootText, ...ext] = lines;
  if (!origin) bad("missing origin line");
  if (!sizeText || !/^(0|[1-9][0-9]*)$/.test(sizeText)) bad(`bad size line \`${sizeText ?? ""}\``);
  const root = Buffer.from(rootText ?? "", "base64");
  if (root.length !== 32 || root.toString("base64") !== rootText) {
    bad(`bad root line \`${rootText ?? ""}\``);
  }
  const checkpoint: Checkpoint = { origin, size: Number(sizeText), root };
  for (const line of ext) {
    const m = /^timestamp ([0-9]+)$/.exec(line);
    if (m) checkpoint.timestamp = Number(m[1]);
  }
  const signatures: NoteSignature[] = [];
  for (const line of note.slice(split + 2).split("\n")) {
    if (line === "") continue;
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) bad(`bad signature line \`${line}\``);
    const blob = Buffer.from(m[2]!, "base64");
    if (blob.length < 5) bad("signature too short");
    signatures.push({ name: m[1]!, keyId: blob.subarray(0, 4), signature: blob.subarray(4) });
  }
  if (signatures.length === 0) bad("the note has no signature");
  return { checkpoint, body, signatures };
}

/**
 * Parses `note` and checks it carries a valid Ed25519 signature by `publicKey` under `name`
 * (default: the checkpoint's origin). Throws `audit_bad_checkpoint` otherwise.
 */
export function verifyCheckpoint(
  note: string,
  publicKey: string | KeyObject,
  name?: string,
): Checkpoint {
  const { checkpoint, body, signatures } = parseCheckpoint(note);
  const key = toPublicKey(publicKey);
  const keyName = name ?? checkpoint.origin;
  const id = noteKeyId(keyName, key);
  const ok = signatures.some(
    (s) =>
      s.name === keyName &&
      s.keyId.equals(id) &&
      verify(null, Buffer.from(body, "utf8"), key, s.signature),
  );
  if (!ok) bad(`no valid signature by \`${keyName}\` on the checkpoint of size ${checkpoint.size}`);
  return checkpoint;
}

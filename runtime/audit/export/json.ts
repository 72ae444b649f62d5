/**
 * JSON and JSONL: each record is its canonical (RFC 8785) JSON including `hash`, one per line, so
 * removing `hash` and re-canonicalising gives back the exact hashed bytes (offline verification).
 * The JSON format is an array with one record per line.
 */
import canonicalizeModule from "canonicalize";
import type { ExportFormat } from "./format.js";

const canonicalize = canonicalizeModule as unknown as (input: unknown) => string;

export const jsonl: ExportFormat = {
  name: "jsonl",
  record: (r) => `${canonicalize(r)}\n`,
};

export const json: ExportFormat = {
  name: "json",
  header: () => "[",
  record: (r, first) => `${first ? "\n" : ",\n"}${canonicalize(r)}`,
  footer: () => "\n]\n",
};

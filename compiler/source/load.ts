/**
 * Stage `load`: policy texts → parsed YAML documents that keep every node's source range.
 * Pure: the files are given; reading a directory is done by source/read-dir.ts at the edge.
 */
import { createHash } from "node:crypto";
import { LineCounter, parseAllDocuments } from "yaml";
import type { Diagnostic } from "../../grammar/index.js";
import { M } from "../diagnostics/catalogue.js";
import { error } from "../diagnostics/report.js";
import type { LoadedDocument, SourceFile } from "../model.js";
import { spanAt } from "./locate.js";

export interface PolicyText {
  /** Path relative to the policy dir, with `/` separators. */
  file: string;
  text: string;
}

export interface LoadResult {
  sources: SourceFile[];
  documents: LoadedDocument[];
  diagnostics: Diagnostic[];
}

export function load(files: readonly PolicyText[]): LoadResult {
  const sources: SourceFile[] = [];
  const documents: LoadedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const sorted = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const { file, text } of sorted) {
    const lineCounter = new LineCounter();
    const parsed = parseAllDocuments(text, {
      lineCounter,
      keepSourceTokens: false,
      uniqueKeys: true,
    });
    const docs = Array.isArray(parsed) ? parsed : [];
    const sha256 = createHash("sha256").update(text, "utf8").digest("hex");
    const source: SourceFile = { file, text, sha256, lineCounter, documents: docs };
    sources.push(source);
    if (!Array.isArray(parsed)) {
      // an empty stream parsed as EmptyStream: nothing to compile in this file
      continue;
    }
    docs.forEach((document, index) => {
      for (const e of document.errors) {
        diagnostics.push(
          error(
            M.yamlSyntax(yamlMessage(e.message)),
            spanAt(file, lineCounter, e.pos[0], e.pos[1]),
          ),
        );
      }
      if (document.errors.length === 0 && document.contents !== null) {
        documents.push({ source, document, index });
      }
    });
  }
  return { sources, documents, diagnostics };
}

/** `yaml` messages carry their own position and code frame; keep the first sentence, lowercase. */
function yamlMessage(message: string): string {
  const first = (message.split("\n")[0] ?? message)
    .replace(/ at line \d+, column \d+:?\s*$/, "")
    .trim();
  const text = first.replace(/\.$/, "");
  return text.charAt(0).toLowerCase() + text.slice(1);
}

import type { IRecognitionException, IToken } from "chevrotain";
import type { Expr } from "./ast.js";
import { CstToAst } from "./cst-to-ast.js";
import { error, hasErrors, sortDiagnostics } from "./diagnostics.js";
import { conditionLexer } from "./lexer.js";
import { helps } from "./messages.js";
import { conditionParser } from "./parser.js";
import type { Diagnostic, Origin, Span } from "./span.js";
import { makeSpan } from "./span.js";
import { allTokens } from "./tokens.js";

/** The result of parsing: the AST when there is no syntax error, and every diagnostic found. */
export interface ParseResult {
  ast: Expr | undefined;
  diagnostics: Diagnostic[];
}

const labels = new Map(allTokens.map((t) => [t.name, (t.LABEL as string | undefined) ?? t.name]));
const friendly: Record<string, string> = {
  Identifier: "a name",
  StringLiteral: "a string",
  NumberLiteral: "a number",
  RelOp: "a comparison operator",
};

/** End-of-text position (line, col) for errors at end of input. */
function endOf(source: string): [number, number] {
  const lines = source.split(/\r\n|\r|\n/);
  return [lines.length, (lines[lines.length - 1]?.length ?? 0) + 1];
}

/** Help for operators written as words (`and`, `or`, `not`), a common slip from other languages. */
function wordOperatorHelp(image: string): string | undefined {
  const ops: Record<string, string> = { and: "&&", or: "||", not: "!" };
  const op = Object.hasOwn(ops, image) ? ops[image] : undefined;
  return op ? `use \`${op}\` instead of \`${image}\`` : undefined;
}

function describe(tok: IToken): string {
  if (tok.tokenType.name === "EOF") return "end of input";
  const img = tok.image.length > 24 ? `${tok.image.slice(0, 24)}…` : tok.image;
  return `\`${img}\``;
}

/** Limits that keep every recursive stage (parser, checker, generator) far from the stack limit. */
export const MAX_TOKENS = 1000;
export const MAX_DEPTH = 64;
const OPENERS = new Set(["LParen", "LBracket", "LBrace"]);
const CLOSERS = new Set(["RParen", "RBracket", "RBrace"]);

/**
 * Rejects conditions longer than MAX_TOKENS or with brackets nested deeper than MAX_DEPTH (each
 * bracket level costs the recursive-descent parser about ten stack frames; a run of prefix
 * operators is bounded by MAX_TOKENS).
 */
function checkLimits(tokens: IToken[], spanOf: (t: IToken) => Span): Diagnostic | undefined {
  if (tokens.length > MAX_TOKENS) {
    return error(spanOf(tokens[MAX_TOKENS]!), "E0009", [String(MAX_TOKENS)]);
  }
  let depth = 0;
  for (const t of tokens) {
    const name = t.tokenType.name;
    if (OPENERS.has(name)) depth++;
    else if (CLOSERS.has(name)) depth = Math.max(0, depth - 1);
    if (depth > MAX_DEPTH) return error(spanOf(t), "E0010", [String(MAX_DEPTH)]);
  }
  return undefined;
}

/**
 * Parses a condition. Never throws: lexing and parsing errors (all of them, thanks to chevrotain's
 * error recovery) come back as diagnostics, and `ast` is undefined when there is any error.
 *
 * @example
 * parseExpression('agent.trust_level >= 3 && action.kind == "read"').ast
 */
export function parseExpression(source: string, origin?: Origin): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const [endLine, endCol] = endOf(source);
  const eofSpan = makeSpan(origin, endLine, endCol, endLine, endCol);
  const spanOfToken = (t: IToken): Span =>
    Number.isFinite(t.startOffset) && t.tokenType.name !== "EOF"
      ? makeSpan(origin, t.startLine!, t.startColumn!, t.endLine!, t.endColumn!)
      : eofSpan;

  const lexed = conditionLexer.tokenize(source);
  for (const e of lexed.errors) {
    const ch = source.slice(e.offset, e.offset + 1);
    const span = makeSpan(origin, e.line ?? 1, e.column ?? 1, e.line ?? 1, e.column ?? 1);
    if (ch === '"' || ch === "'") diagnostics.push(error(span, "E0005", []));
    else {
      const help =
        ch === "="
          ? helps.doubleEquals
          : ch === "&"
            ? helps.doubleAmp
            : ch === "|"
              ? helps.doublePipe
              : undefined;
      const shown = /[\x00-\x1f\x7f]/.test(ch) ? JSON.stringify(ch).slice(1, -1) : ch;
      diagnostics.push(error(span, "E0001", [shown], help));
    }
  }
  if (lexed.tokens.length === 0 && lexed.errors.length === 0) {
    diagnostics.push(error(eofSpan, "E0007", []));
    return { ast: undefined, diagnostics };
  }

  const limit = checkLimits(lexed.tokens, spanOfToken);
  if (limit) {
    diagnostics.push(limit);
    return { ast: undefined, diagnostics: sortDiagnostics(diagnostics) };
  }

  conditionParser.input = lexed.tokens;
  const cst = conditionParser.expression();
  const seen = new Set<string>();
  for (const e of conditionParser.errors as IRecognitionException[]) {
    const span = spanOfToken(e.token);
    const key = `${span.line}:${span.col}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const found = describe(e.token);
    if (e.name === "MismatchedTokenException") {
      const name = /--> (.+?) <--/.exec(e.message)?.[1] ?? "";
      const expected = friendly[name] ?? labels.get(name) ?? name;
      diagnostics.push(error(span, "E0003", [expected, found]));
    } else if (e.name === "NotAllInputParsedException") {
      diagnostics.push(error(span, "E0004", [found], wordOperatorHelp(e.token.image)));
    } else {
      const help = wordOperatorHelp(e.token.image) ?? "expected an operand or an operator here";
      diagnostics.push(error(span, "E0002", [found], help));
    }
  }
  if (hasErrors(diagnostics)) return { ast: undefined, diagnostics: sortDiagnostics(diagnostics) };
  const builder = new CstToAst(origin, diagnostics);
  const ast = builder.expression(cst);
  const sorted = sortDiagnostics(diagnostics);
  return { ast: hasErrors(sorted) ? undefined : ast, diagnostics: sorted };
}

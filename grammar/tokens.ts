import { createToken, Lexer, type TokenType } from "chevrotain";

/** Token definitions of the condition language (a CEL subset). Order in `allTokens` matters. */
export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n]+/,
  group: Lexer.SKIPPED,
});
export const Comment = createToken({
  name: "Comment",
  pattern: /\/\/[^\n\r]*/,
  group: Lexer.SKIPPED,
});

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });
export const True = createToken({ name: "True", pattern: /true/, longer_alt: Identifier });
export const False = createToken({ name: "False", pattern: /false/, longer_alt: Identifier });
export const Null = createToken({ name: "Null", pattern: /null/, longer_alt: Identifier });
export const RelOp = createToken({ name: "RelOp", pattern: Lexer.NA });
/** `in` is both a keyword and a relation operator. */
export const In = createToken({
  name: "In",
  pattern: /in/,
  longer_alt: Identifier,
  categories: RelOp,
  label: "`in`",
});

/** JSON numbers (RFC 8259 §6) without the sign: unary minus is an operator. */
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/,
});
/** Double- or single-quoted string; escapes are decoded (and validated) by cst-to-ast. */
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"|'(?:[^'\\\n\r]|\\[^\n\r])*'/,
});

export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "`(`" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "`)`" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "`[`" });
export const RBracket = createToken({ name: "RBracket", pattern: /]/, label: "`]`" });
export const LBrace = createToken({ name: "LBrace", pattern: /\{/, label: "`{`" });
export const RBrace = createToken({ name: "RBrace", pattern: /}/, label: "`}`" });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "`.`" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "`,`" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "`:`" });
export const Question = createToken({ name: "Question", pattern: /\?/, label: "`?`" });
export const AndAnd = createToken({ name: "AndAnd", pattern: /&&/, label: "`&&`" });
export const OrOr = createToken({ name: "OrOr", pattern: /\|\|/, label: "`||`" });

export const EqEq = createToken({ name: "EqEq", pattern: /==/, categories: RelOp, label: "`==`" });
export const NotEq = createToken({
  name: "NotEq",
  pattern: /!=/,
  categories: RelOp,
  label: "`!=`",
});
export const LessEq = createToken({
  name: "LessEq",
  pattern: /<=/,
  categories: RelOp,
  label: "`<=`",
});
export const GreaterEq = createToken({
  name: "GreaterEq",
  pattern: />=/,
  categories: RelOp,
  label: "`>=`",
});
export const Less = createToken({ name: "Less", pattern: /</, categories: RelOp, label: "`<`" });
export const Greater = createToken({
  name: "Greater",
  pattern: />/,
  categories: RelOp,
  label: "`>`",
});

export const AddOp = createToken({ name: "AddOp", pattern: Lexer.NA });
export const Plus = createToken({ name: "Plus", pattern: /\+/, categories: AddOp, label: "`+`" });
export const Minus = createToken({ name: "Minus", pattern: /-/, categories: AddOp, label: "`-`" });
export const MulOp = createToken({ name: "MulOp", pattern: Lexer.NA });
export const Star = createToken({ name: "Star", pattern: /\*/, categories: MulOp, label: "`*`" });
export const Slash = createToken({ name: "Slash", pattern: /\//, categories: MulOp, label: "`/`" });
export const Percent = createToken({
  name: "Percent",
  pattern: /%/,
  categories: MulOp,
  label: "`%`",
});
export const Bang = createToken({ name: "Bang", pattern: /!/, label: "`!`" });

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  StringLiteral,
  NumberLiteral,
  True,
  False,
  Null,
  In,
  Identifier,
  AndAnd,
  OrOr,
  EqEq,
  NotEq,
  LessEq,
  GreaterEq,
  Less,
  Greater,
  Bang,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Dot,
  Comma,
  Colon,
  Question,
  RelOp,
  AddOp,
  MulOp,
];

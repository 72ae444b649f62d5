import { Lexer } from "chevrotain";
import { allTokens } from "./tokens.js";

/** The chevrotain lexer; line terminators are tracked so tokens carry line/column. */
export const conditionLexer = new Lexer(allTokens, {
  positionTracking: "full",
  ensureOptimizations: false,
});

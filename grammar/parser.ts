import { CstParser } from "chevrotain";
import * as t from "./tokens.js";

/**
 * The grammar of the condition language (CEL precedence, lowest first):
 *
 *   expression     = conditionalOr [ "?" conditionalOr ":" expression ]
 *   conditionalOr  = conditionalAnd { "||" conditionalAnd }
 *   conditionalAnd = relation { "&&" relation }
 *   relation       = addition { ("<" | "<=" | ">" | ">=" | "==" | "!=" | "in") addition }
 *   addition       = multiplication { ("+" | "-") multiplication }
 *   multiplication = unary { ("*" | "/" | "%") unary }
 *   unary          = ("!" | "-") unary | member
 *   member         = primary { memberSuffix }
 *   memberSuffix   = "." IDENT [ "(" [args] ")" ] | "[" expression "]"
 *   primary        = IDENT [ "(" [args] ")" ] | "(" expression ")" | list | map | literal
 *
 * Grammar only: the CST is turned into the typed AST by cst-to-ast.ts. Rules are class
 * properties so `tsc` catches typos; recovery is on so all syntax errors are reported.
 */
export class ConditionParser extends CstParser {
  constructor() {
    super(t.allTokens, { recoveryEnabled: true, nodeLocationTracking: "full", maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  public expression = this.RULE("expression", () => {
    this.SUBRULE(this.conditionalOr);
    this.OPTION(() => {
      this.CONSUME(t.Question);
      this.SUBRULE2(this.conditionalOr);
      this.CONSUME(t.Colon);
      this.SUBRULE(this.expression);
    });
  });

  private conditionalOr = this.RULE("conditionalOr", () => {
    this.SUBRULE(this.conditionalAnd);
    this.MANY(() => {
      this.CONSUME(t.OrOr);
      this.SUBRULE2(this.conditionalAnd);
    });
  });

  private conditionalAnd = this.RULE("conditionalAnd", () => {
    this.SUBRULE(this.relation);
    this.MANY(() => {
      this.CONSUME(t.AndAnd);
      this.SUBRULE2(this.relation);
    });
  });

  private relation = this.RULE("relation", () => {
    this.SUBRULE(this.addition);
    this.MANY(() => {
      this.CONSUME(t.RelOp);
      this.SUBRULE2(this.addition);
    });
  });

  private addition = this.RULE("addition", () => {
    this.SUBRULE(this.multiplication);
    this.MANY(() => {
      this.CONSUME(t.AddOp);
      this.SUBRULE2(this.multiplication);
    });
  });

  private multiplication = this.RULE("multiplication", () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(t.MulOp);
      this.SUBRULE2(this.unary);
    });
  });

  private unary = this.RULE("unary", () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(t.Bang) }, { ALT: () => this.CONSUME(t.Minus) }]);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.member) },
    ]);
  });

  private member = this.RULE("member", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.memberSuffix));
  });

  private memberSuffix = this.RULE("memberSuffix", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Dot);
          this.CONSUME(t.Identifier);
          this.OPTION(() => this.SUBRULE(this.callArgs));
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.LBracket);
          this.SUBRULE(this.expression);
          this.CONSUME(t.RBracket);
        },
      },
    ]);
  });

  private callArgs = this.RULE("callArgs", () => {
    this.CONSUME(t.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(t.RParen);
  });

  private primary = this.RULE("primary", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Identifier);
          this.OPTION(() => this.SUBRULE(this.callArgs));
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(t.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.listLiteral) },
      { ALT: () => this.SUBRULE(this.mapLiteral) },
      { ALT: () => this.CONSUME(t.StringLiteral) },
      { ALT: () => this.CONSUME(t.NumberLiteral) },
      { ALT: () => this.CONSUME(t.True) },
      { ALT: () => this.CONSUME(t.False) },
      { ALT: () => this.CONSUME(t.Null) },
    ]);
  });

  private listLiteral = this.RULE("listLiteral", () => {
    this.CONSUME(t.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.expression);
      });
      this.OPTION2(() => this.CONSUME2(t.Comma));
    });
    this.CONSUME(t.RBracket);
  });

  private mapLiteral = this.RULE("mapLiteral", () => {
    this.CONSUME(t.LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.mapEntry);
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.mapEntry);
      });
      this.OPTION2(() => this.CONSUME2(t.Comma));
    });
    this.CONSUME(t.RBrace);
  });

  private mapEntry = this.RULE("mapEntry", () => {
    this.SUBRULE(this.expression);
    this.CONSUME(t.Colon);
    this.SUBRULE2(this.expression);
  });
}

/** One shared parser instance (chevrotain parsers are reusable: set `input`, call a rule). */
export const conditionParser = new ConditionParser();

/** Tokens of Spark SQL expression and DDL text, each with its start offset for error positions. */

export type TokenKind = "ident" | "quotedIdent" | "number" | "string" | "op" | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** Identifier text (unquoted), literal text, or the operator itself. */
  readonly text: string;
  /** Offset of the token's first character in the source text. */
  readonly pos: number;
}

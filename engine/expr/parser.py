"""Source text to trees: a recursive-descent parser for conditions and effects.

The grammar is the one in docs/format.md. Positions: every node's ``pos`` is
the offset of its first character, except :class:`Binary`, whose ``pos`` is
its operator's (type errors about an operator point there). Parentheses make
no node. Recursion only happens on ``(``, ``not`` and unary ``-``, and those
count towards :data:`MAX_DEPTH`, so parsing never nests deeper than that.
"""

from __future__ import annotations

from typing import cast

from carnet.engine.expr.errors import ExprError
from carnet.engine.expr.lexer import KEYWORDS, Token, describe, tokenize
from carnet.engine.expr.nodes import (
    AssignOp,
    Binary,
    BinaryOp,
    Effect,
    Expression,
    Lit,
    Node,
    Unary,
    Var,
    Visits,
)
from carnet.engine.limits import MAX_DEPTH, MAX_SOURCE_CHARS

_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
_ASSIGNMENTS = frozenset({"=", "+=", "-="})
_EFFECT_HINT = "write e.g. 'coins += 1' or 'has_lamp = true'"


def parse_expression(source: str) -> Expression:
    """Parse a condition. Raises :class:`ExprError` on a syntax error or a limit."""
    parser = _Parser(source)
    root = parser.expression(after=None)
    parser.expect_end()
    return Expression(source, root)


def parse_effect(source: str) -> Effect:
    """Parse ``name = expr``, ``name += expr`` or ``name -= expr``.

    Raises :class:`ExprError` on a syntax error or a limit.
    """
    parser = _Parser(source)
    target = parser.token
    if target.kind != "NAME":
        if target.kind in KEYWORDS:
            raise ExprError(f"'{target.text}' is a keyword, not a variable name", target.pos)
        if target.kind == "EOF":
            raise ExprError("the effect is empty", target.pos, _EFFECT_HINT)
        raise ExprError("an effect starts with the name of a variable", target.pos, _EFFECT_HINT)
    parser.advance()
    op = parser.token
    if op.kind not in _ASSIGNMENTS:
        if op.kind == "==":
            raise ExprError(
                "'==' compares; to set a variable use '='",
                op.pos,
                f"write '{target.text} = ...'",
            )
        if op.kind == "(":
            raise _call_error(target)
        raise ExprError(f"expected '=', '+=' or '-=' after '{target.text}'", op.pos, _EFFECT_HINT)
    parser.advance()
    value = parser.expression(after=op.kind)
    parser.expect_end()
    return Effect(source, target.text, cast(AssignOp, op.kind), value, target.pos)


def _call_error(name: Token) -> ExprError:
    return ExprError(
        f"'{name.text}(...)': the only function is visits(scene)",
        name.pos,
        "there are no other calls",
    )


class _Parser:
    """One parse: the token stream, one token of lookahead, and the nesting depth."""

    def __init__(self, source: str) -> None:
        if len(source) > MAX_SOURCE_CHARS:
            raise ExprError(
                f"expression is longer than {MAX_SOURCE_CHARS} characters",
                MAX_SOURCE_CHARS,
                "split it into several choices or variables",
            )
        self._tokens = tokenize(source)
        self.token = next(self._tokens)
        self._depth = 0

    def advance(self) -> Token:
        """Consume the current token (never the final EOF) and return it."""
        consumed = self.token
        self.token = next(self._tokens)
        return consumed

    def expect_end(self) -> None:
        if self.token.kind != "EOF":
            raise self._unexpected(self.token, trailing=True)

    def _enter(self, token: Token) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ExprError(
                f"expression is nested more than {MAX_DEPTH} levels deep",
                token.pos,
                "simplify it, or split it into several choices or variables",
            )

    def _leave(self) -> None:
        self._depth -= 1

    # Each level takes ``after``: the token just before its operand, named in
    # "expected an expression after ..." (None at the very start).

    def expression(self, after: str | None) -> Node:
        left = self._and(after)
        while self.token.kind == "or":
            op = self.advance()
            left = Binary("or", left, self._and("or"), op.pos)
        return left

    def _and(self, after: str | None) -> Node:
        left = self._not(after)
        while self.token.kind == "and":
            op = self.advance()
            left = Binary("and", left, self._not("and"), op.pos)
        return left

    def _not(self, after: str | None) -> Node:
        if self.token.kind != "not":
            return self._comparison(after)
        op = self.advance()
        self._enter(op)
        operand = self._not("not")
        self._leave()
        return Unary("not", operand, op.pos)

    def _comparison(self, after: str | None) -> Node:
        left = self._sum(after)
        if self.token.kind not in _COMPARISONS:
            return left
        op = self.advance()
        right = self._sum(op.kind)
        if self.token.kind in _COMPARISONS:
            raise ExprError(
                "comparisons cannot be chained",
                self.token.pos,
                "write 'a < b and b < c' instead of 'a < b < c'",
            )
        return Binary(cast(BinaryOp, op.kind), left, right, op.pos)

    def _sum(self, after: str | None) -> Node:
        left = self._unary(after)
        while self.token.kind in ("+", "-"):
            op = self.advance()
            left = Binary(cast(BinaryOp, op.kind), left, self._unary(op.kind), op.pos)
        return left

    def _unary(self, after: str | None) -> Node:
        if self.token.kind != "-":
            return self._atom(after)
        op = self.advance()
        self._enter(op)
        operand = self._unary("-")
        self._leave()
        return Unary("-", operand, op.pos)

    def _atom(self, after: str | None) -> Node:
        token = self.token
        kind = token.kind
        if kind == "INT":
            self.advance()
            return Lit(cast(int, token.value), token.pos)
        if kind == "STRING":
            self.advance()
            return Lit(cast(str, token.value), token.pos)
        if kind in ("true", "false"):
            self.advance()
            return Lit(kind == "true", token.pos)
        if kind == "NAME":
            self.advance()
            if self.token.kind == "(":
                raise _call_error(token)
            return Var(token.text, token.pos)
        if kind == "visits":
            return self._visits()
        if kind == "(":
            return self._parenthesized()
        raise self._no_operand(after)

    def _visits(self) -> Visits:
        keyword = self.advance()
        if self.token.kind != "(":
            raise ExprError("expected '(' after 'visits'", self.token.pos, "write visits(scene)")
        self.advance()
        scene = self.token
        if scene.kind == "STRING":
            raise ExprError(
                "visits() takes a scene id, not a string",
                scene.pos,
                f"write visits({scene.value}) without quotes",
            )
        if scene.kind != "NAME" and scene.kind not in KEYWORDS:
            raise ExprError("visits() needs exactly one scene name", scene.pos)
        self.advance()
        if self.token.kind != ")":
            if self.token.kind in (",", "NAME", "INT", "STRING"):
                raise ExprError("visits() needs exactly one scene name", self.token.pos)
            raise ExprError("expected ')' after the scene name", self.token.pos)
        self.advance()
        return Visits(scene.text, keyword.pos)

    def _parenthesized(self) -> Node:
        paren = self.advance()
        self._enter(paren)
        inner = self.expression(after="(")
        if self.token.kind == "EOF":
            raise ExprError("'(' is never closed", paren.pos, "add the missing ')'")
        if self.token.kind != ")":
            raise self._unexpected(self.token, trailing=True, closing=True)
        self.advance()
        self._leave()
        return inner

    def _no_operand(self, after: str | None) -> ExprError:
        token = self.token
        if after is not None:
            return ExprError(f"expected an expression after '{after}'", token.pos)
        if token.kind == "EOF":
            return ExprError("the expression is empty", token.pos)
        return self._unexpected(token, trailing=False)

    def _unexpected(self, token: Token, *, trailing: bool, closing: bool = False) -> ExprError:
        """The error for a token that cannot come where it is."""
        kind = token.kind
        if kind == "=":
            return ExprError("'=' is not a comparison; did you mean '=='?", token.pos)
        if kind in ("+=", "-="):
            return ExprError(
                f"'{kind}' changes a variable; a condition cannot",
                token.pos,
                "put it in 'do' or 'on_enter'",
            )
        if kind == ")":
            return ExprError("unexpected ')'", token.pos, "there is no '(' to match it")
        hint = None
        if closing:
            hint = "expected ')' or an operator"
        elif trailing:
            hint = "expected an operator such as 'and', 'or' or '=='"
        return ExprError(f"unexpected {describe(token)}", token.pos, hint)

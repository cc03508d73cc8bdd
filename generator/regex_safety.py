"""Refusing author-supplied regular expressions that can take exponential time.

Python's regex engine backtracks: a repetition inside another repetition, such as `(a+)+$`,
tries every way of splitting the text between them and takes seconds on 30 characters and
years on 100. Program and track rules may add patterns, and every text is matched against
them, so such a pattern is an error at its line, and the content rules are not run until it
is fixed. The built-in rules (rules.yml) are ours and tested; only authors' patterns are checked.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from .diagnostics import Diagnostic
from .load import Curriculum
from .model import Safety

try:
    from re import _constants as _sre, _parser as _sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

MAX_PATTERN_CHARS = 1_000
_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)}


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` may not be used (it must already compile), or None when it is safe."""
    if len(pattern) > MAX_PATTERN_CHARS:
        return f"is {len(pattern):,} characters long; the limit is {MAX_PATTERN_CHARS:,}"
    try:
        parsed = _sre_parse.parse(pattern, re.IGNORECASE)
    except re.error as exc:
        return f"is not a valid regular expression: {exc}"
    for op, argument in _items(parsed):
        if op in _REPEATS and _repeats_many(argument) and any(
                inner_op in _REPEATS and _repeats_many(inner) for inner_op, inner in _items(argument[2])):
            return ("repeats a part that itself repeats (like `(a+)+`), which can take hours on a short text; "
                    "write the inner part once, e.g. `(a+)` instead of `(a+)+`")
    return None


def _repeats_many(argument: Any) -> bool:
    low, high, _body = argument
    return high is _sre.MAXREPEAT or high > 1


def _items(tree: Any) -> Iterator[tuple[Any, Any]]:
    """Every (operator, argument) pair in a parsed pattern, at any depth."""
    for op, argument in tree:
        yield op, argument
        for part in _parts(argument):
            yield from _items(part)


def _parts(argument: Any) -> Iterator[Any]:
    """The sub-patterns inside one operator's argument (groups, branches, repeats, lookarounds)."""
    if isinstance(argument, _sre_parse.SubPattern):
        yield argument
    elif isinstance(argument, (tuple, list)):
        for element in argument:
            yield from _parts(element)


def unsafe_pattern_problems(curriculum: Curriculum) -> list[Diagnostic]:
    """An error at each author-supplied `pattern` in program.yml or a track that may run for ages."""
    owners: list[tuple[tuple[str, str], Safety]] = [(("program", "program"), curriculum.program.safety)]
    owners += [(("track", track.id), track.safety) for track in curriculum.tracks.values()]
    problems = []
    for (kind, item_id), safety in owners:
        source = curriculum.source(kind, item_id)
        for path, pattern in _patterns(safety):
            reason = pattern_problem(pattern)
            if reason is not None:
                problems.append(source.diagnostic(("safety",) + path + ("pattern",), f"`pattern` {reason}"))
    return problems


def _patterns(safety: Safety) -> Iterator[tuple[tuple[Any, ...], str]]:
    for i, rule in enumerate(safety.avoid):
        if rule.pattern is not None:
            yield ("avoid", i), rule.pattern
    for set_id, phrase_set in safety.rule_sets.items():
        for i, rule in enumerate(phrase_set.phrases):
            if rule.pattern is not None:
                yield ("rule_sets", set_id, "phrases", i), rule.pattern

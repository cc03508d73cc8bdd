"""Placeholders that `psychoed new` writes into program.yml, and the errors they raise until filled.

A placeholder is a quoted value of the form "[FILL IN: what to write here]". It is an error
wherever it stays, at its own line and column; it replaces the schema's complaint about the
same value (a placeholder is not a date, but "fill it in" is what the author needs to hear).
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from .diagnostics import Diagnostic
from .source import SourceFile

PLACEHOLDER = re.compile(r"\[FILL IN:\s*(?P<what>[^\]]*)\]")
HINT = 'replace the whole "[FILL IN: …]" value with the real one'


def placeholder(what: str) -> str:
    """The placeholder text for a value the author must write: `what` says what it is."""
    return f"[FILL IN: {what}]"


def unfilled_placeholders(source: SourceFile, texts: Iterable[tuple[tuple[Any, ...], str]]) -> Iterator[Diagnostic]:
    """An error at each placeholder among the file's texts (path in the data, text)."""
    for path, text in texts:
        for found in PLACEHOLDER.finditer(text):
            yield source.diagnostic_at_text(path, text, found.group(0),
                                            f"not filled in yet: {found.group('what').strip()}", HINT)


def without_shadowed(problems: Iterable[Diagnostic], placeholders: list[Diagnostic]) -> list[Diagnostic]:
    """The schema's problems, minus those about a value that is still a placeholder."""
    lines = {(p.path, p.line) for p in placeholders}
    return [p for p in problems if (p.path, p.line) not in lines]

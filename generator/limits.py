"""Bounds on what a curriculum may ask of the machine, each reported as an author's error.

Real curricula sit far below every bound (the bundled one: files under 30 kB, texts under
5,000 characters, nesting under 10 levels, words under 40 characters). Beyond them, reading,
checking or printing would take minutes or gigabytes, or crash a renderer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .diagnostics import Diagnostic

if TYPE_CHECKING:
    from .source import SourceFile

MAX_FILE_BYTES = 1_000_000  # one YAML file
MAX_TEXT_CHARS = 50_000  # one text value
MAX_FILE_CHARS = 2_000_000  # all text of one file, with every alias (*name) expanded
MAX_DEPTH = 40  # mappings and lists inside each other
MAX_QUOTE_DEPTH = 5  # block quotes (>) inside each other: the PDF renderer recurses per level
MAX_WORD_CHARS = 100  # one unbroken word: line breaking is quadratic in its length
MAX_LINK_CHARS = 2_000  # a web address, which may be long but is still one word in print

_WORD = re.compile(r"\S+")
_QUOTE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)+")


def text_limit_problems(source: SourceFile, texts: Iterable[tuple[tuple[Any, ...], str]]) -> Iterator[Diagnostic]:
    """Over-long words and too deeply nested block quotes in `texts` (path, text) of the file."""
    for path, text in texts:
        word = longest_word(text)
        if word is not None:
            limit = MAX_LINK_CHARS if "://" in word else MAX_WORD_CHARS
            yield source.diagnostic_at_text(
                path, text, word[:40], f"a word of {len(word):,} characters without a space (the limit is {limit:,})",
                "break it up with spaces; very long words cannot be printed")
        depth = quote_depth(text)
        if depth > MAX_QUOTE_DEPTH:
            yield source.diagnostic_at_text(
                path, text, ">", f"block quotes nested {depth} deep (the limit is {MAX_QUOTE_DEPTH})",
                "use at most a few levels of `>`")


def longest_word(text: str) -> str | None:
    """The first word over its limit, if any."""
    for match in _WORD.finditer(text):
        word = match.group(0)
        if len(word) > MAX_WORD_CHARS and ("://" not in word or len(word) > MAX_LINK_CHARS):
            return word
    return None


def quote_depth(text: str) -> int:
    deepest = 0
    for line in text.splitlines():
        prefix = _QUOTE_PREFIX.match(line)
        if prefix:
            deepest = max(deepest, prefix.group(0).count(">"))
    return deepest

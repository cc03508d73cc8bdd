"""Bounds on what a curriculum may ask of the machine, each reported as an author's error.

Real curricula sit far below every bound (the bundled one: files under 30 kB, texts under
5,000 characters, nesting under 10 levels, words under 40 characters). Beyond them, reading,
checking or printing would take minutes or gigabytes, or crash a renderer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import yaml

from .diagnostics import Diagnostic

if TYPE_CHECKING:
    from .source import SourceFile

MAX_FILE_BYTES = 1_000_000  # one YAML file
MAX_TEXT_CHARS = 50_000  # one text value
MAX_FILE_CHARS = 2_000_000  # all text of one file, with every alias (*name) expanded
MAX_VALUES = 200_000  # keys, values and items of one file, aliases expanded
MAX_DEPTH = 40  # mappings and lists inside each other, aliases expanded
MAX_TEXT_NESTING = 8  # block quotes (>) and lists inside each other: the PDF renderer recurses per level
MAX_WORD_CHARS = 100  # one unbroken word: line breaking is quadratic in its length
MAX_LINK_CHARS = 2_000  # a web address, which may be long but is still one word in print

_WORD = re.compile(r"\S+")
# The run of block-quote and list markers that opens a line, e.g. "  > - 1. ".
_NESTING_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*)+")


def text_limit_problems(source: SourceFile, texts: Iterable[tuple[tuple[Any, ...], str]]) -> Iterator[Diagnostic]:
    """Over-long words and too deeply nested block quotes in `texts` (path, text) of the file."""
    for path, text in texts:
        word = longest_word(text)
        if word is not None:
            limit = MAX_LINK_CHARS if "://" in word else MAX_WORD_CHARS
            yield source.diagnostic_at_text(
                path, text, word[:40], f"a word of {len(word):,} characters without a space (the limit is {limit:,})",
                "break it up with spaces; very long words cannot be printed")
        depth, line = nesting_depth(text)
        if depth > MAX_TEXT_NESTING:
            yield source.diagnostic_at_text(
                path, text, line.strip()[:20], f"block quotes and lists nested {depth} deep (the limit is "
                f"{MAX_TEXT_NESTING})", "use at most a few levels of `>` and of lists inside lists")


def longest_word(text: str) -> str | None:
    """The first word over its limit, if any."""
    for match in _WORD.finditer(text):
        word = match.group(0)
        if len(word) > MAX_WORD_CHARS and ("://" not in word or len(word) > MAX_LINK_CHARS):
            return word
    return None


def nesting_depth(text: str) -> tuple[int, str]:
    """The deepest nesting of block quotes and lists in Markdown `text`, and the line it is on.
    Each marker at the start of a line counts, and so does each level of indentation."""
    deepest, where = 0, ""
    for line in text.splitlines():
        prefix = _NESTING_PREFIX.match(line)
        if prefix:
            markers = len(re.findall(r">|[-*+]|\d{1,9}[.)]", prefix.group(0)))
            indent = len(line) - len(line.lstrip(" \t"))
            depth = markers + indent // 4
            if depth > deepest:
                deepest, where = depth, line
    return deepest, where


def expansion_problem(root: yaml.Node, shown_as: str) -> Diagnostic | None:
    """What the file would become once every alias (*name) is expanded: too many values, too
    much text, too deep, or a list or mapping that contains itself. Measured on the node graph,
    each node once and without recursion, so an alias bomb is refused before it is expanded."""
    measured: dict[int, tuple[int, int, int]] = {}  # id(node) -> (values, characters, depth), expanded
    in_progress: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            in_progress.discard(key)
            problem = _measure(node, measured, shown_as)
            if problem is not None:
                return problem
        elif key not in measured:
            if key in in_progress:
                return _at(node, shown_as, "an alias (*name) is used inside the list or mapping it names",
                           "a value cannot contain itself; copy the items instead")
            in_progress.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if id(child) not in measured)
    return None


def _measure(node: yaml.Node, measured: dict[int, tuple[int, int, int]], shown_as: str) -> Diagnostic | None:
    children = [measured[id(child)] for child in _children(node)]
    text = len(node.value) if isinstance(node, yaml.ScalarNode) else 0
    if text > MAX_TEXT_CHARS:
        return _at(node, shown_as, f"text of {text:,} characters; the limit is {MAX_TEXT_CHARS:,}",
                   "split it into sections")
    values = 1 + sum(c[0] for c in children)
    chars = text + sum(c[1] for c in children)
    depth = (1 if children or not isinstance(node, yaml.ScalarNode) else 0) + max((c[2] for c in children), default=0)
    if values > MAX_VALUES:
        return _at(node, shown_as, f"file expands to more than {MAX_VALUES:,} values",
                   "aliases (*name) that repeat other aliases are not allowed to multiply like this")
    if chars > MAX_FILE_CHARS:
        return _at(node, shown_as, f"file expands to more than {MAX_FILE_CHARS:,} characters of text",
                   "aliases (*name) may not repeat long texts this many times")
    if depth > MAX_DEPTH:
        return _at(node, shown_as, f"lists and mappings nested more than {MAX_DEPTH} deep",
                   "flatten this part of the file")
    measured[id(node)] = (values, chars, depth)
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _at(node: yaml.Node, shown_as: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(shown_as, node.start_mark.line + 1, node.start_mark.column + 1, message, hint)

"""Reading one YAML file into plain data while remembering where every value came from.

PyYAML's composer gives us a node graph with source marks; we build the Python data
from it ourselves so that (a) every key and value keeps its line and column, (b)
aliases cannot expand into millions of nodes ("billion laughs"), and (c) duplicate
keys are reported instead of silently overwritten.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from .diagnostics import Diagnostic
from .limits import MAX_DEPTH, MAX_FILE_BYTES, expansion_problem

try:  # the C loader is much faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_NODES = 200_000  # far above any real curriculum file; alias bombs hit it at once

Key = Union[str, int]
DataPath = tuple[Key, ...]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    col: int  # 1-based


@dataclass
class SourceFile:
    """One YAML file: its data, and the position of every key and value in it."""

    path: str  # as shown in diagnostics
    data: Any = None
    values: dict[DataPath, Position] = field(default_factory=dict)
    keys: dict[DataPath, Position] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def position(self, data_path: tuple[Any, ...], *, key: bool = False) -> Position:
        """Where `data_path` is in the file, or the nearest enclosing value that exists.

        `data_path` may contain steps that are not in the data (pydantic adds union tags
        such as `text` in `fields.0.text.lines`); those are skipped.
        """
        found: DataPath = ()
        for step in data_path:
            candidate = found + (step,)
            if candidate in self.values:
                found = candidate
        table = self.keys if key and found in self.keys and found == tuple(data_path) else self.values
        return table.get(found) or self.values.get(found) or Position(1, 1)

    def diagnostic(self, data_path: tuple[Any, ...], message: str, hint: str = "", *, key: bool = False,
                   severity: str = "error", rule: str = "") -> Diagnostic:
        pos = self.position(data_path, key=key)
        return Diagnostic(self.path, pos.line, pos.col, message, hint, severity, rule)  # type: ignore[arg-type]


    def diagnostic_at_text(self, data_path: tuple[Any, ...], text: str, needle: str, message: str, hint: str = "",
                           *, severity: str = "error", rule: str = "") -> Diagnostic:
        """Like `diagnostic`, but at the line and column of `needle` inside the text at `data_path`."""
        start = self.position(data_path)
        last = min(len(self.lines), start.line + text.count("\n") + 1)
        for number in range(start.line, last + 1):
            line = self.lines[number - 1].casefold()
            col = line.find(needle.casefold(), start.col - 1 if number == start.line else 0)
            if col >= 0:
                return Diagnostic(self.path, number, col + 1, message, hint, severity, rule)  # type: ignore[arg-type]
        return self.diagnostic(data_path, message, hint, severity=severity, rule=rule)


class YamlProblem(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def read_yaml(file: Path, shown_as: str) -> SourceFile:
    """Parse `file`; raise YamlProblem with a located diagnostic if it cannot be used."""
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlProblem(Diagnostic(shown_as, 1, 1, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                                     "split it into smaller files (one module or worksheet per file)"))
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(Diagnostic(shown_as, line, col, "file is not UTF-8 text",
                                     "save it as UTF-8 in your editor")) from None
    return _parsed(text, shown_as)


# `psychoed serve` loads the whole curriculum on every save; a file whose text is unchanged is
# not parsed again. The SourceFile is shared between loads, so nothing may change it after
# parsing (nothing does). Problems are raised, and so never kept.
@functools.lru_cache(maxsize=2048)
def _parsed(text: str, shown_as: str) -> SourceFile:
    return parse_yaml(text, shown_as)


def parse_yaml(text: str, shown_as: str) -> SourceFile:
    source = SourceFile(shown_as, lines=text.splitlines())
    try:
        _refuse_deep_nesting(text, shown_as)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        hint = "check indentation and quoting near here"
        if exc.context and exc.context_mark:
            hint += f" ({exc.context} that starts at line {exc.context_mark.line + 1})"
        if _starts_with_template(source.lines, exc.context_mark, mark):
            hint = 'text that starts with {{ must be in quotes, e.g. - "{{ crisis.line.how }} at any time."'
        raise YamlProblem(Diagnostic(shown_as, line, col, f"YAML syntax error: {problem}", hint)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Diagnostic(shown_as, 1, 1, f"YAML syntax error: {exc}")) from None

    explicit_tag = _first_explicit_tag(text, shown_as)
    if explicit_tag is not None:
        raise YamlProblem(explicit_tag)
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null")):
        raise YamlProblem(Diagnostic(shown_as, 1, 1, "file is empty", "add the fields this file needs"))
    oversized = expansion_problem(root, shown_as)
    if oversized is not None:
        raise YamlProblem(oversized)
    builder = _DataBuilder(source)
    source.data = builder.build(root, ())
    return source


def _first_explicit_tag(text: str, shown_as: str) -> Diagnostic | None:
    """The first explicit tag (`!!binary`, `!!str`, `!!python/…`, `!anything`) or %TAG directive.

    Curriculum values are plain text, numbers, dates, lists and mappings, all written without
    tags. A tag changes what a value is (bytes, another type) and so lets it slip past the text
    checks; it is refused where it is written. Called only on text that already parsed.
    """
    scanner = _Loader(text)
    try:
        while (token := scanner.get_token()) is not None:
            if isinstance(token, yaml.TagToken):
                written = _tag_as_written(token.value)
                return _tag_problem(shown_as, token.start_mark, f"explicit YAML tag `{written}` is not allowed")
            if isinstance(token, yaml.DirectiveToken) and token.name == "TAG":
                return _tag_problem(shown_as, token.start_mark, "YAML %TAG directives are not allowed")
    finally:
        scanner.dispose()
    return None


def _tag_as_written(value: tuple[str, str]) -> str:
    handle, suffix = value
    return f"{handle or ''}{suffix}" if handle else f"!<{suffix}>"


def _tag_problem(shown_as: str, mark: Any, message: str) -> Diagnostic:
    return Diagnostic(shown_as, mark.line + 1, mark.column + 1, message,
                      "remove the tag and write the value as plain text (quote it if it looks like a number)")


def _refuse_deep_nesting(text: str, shown_as: str) -> None:
    """Walk the parser's events (no recursion) and stop at the first mapping or list nested
    deeper than MAX_DEPTH, before the composer, which recurses per level and can crash."""
    depth = 0
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise YamlProblem(Diagnostic(shown_as, mark.line + 1, mark.column + 1,
                                                 f"lists and mappings nested more than {MAX_DEPTH} deep",
                                                 "flatten this part of the file"))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    finally:
        loader.dispose()


_UNQUOTED_TEMPLATE = re.compile(r"^\s*(-\s+|[\w-]+:\s+)+\{\{")


def _starts_with_template(lines: list[str], *marks: Any) -> bool:
    """Whether the error is at a list item or value that starts with an unquoted {{ (YAML reads
    it as a mapping, so "- {{ crisis.line.how }} now" fails to parse)."""
    numbers = {m.line for m in marks if m is not None}
    return any(n < len(lines) and _UNQUOTED_TEMPLATE.match(lines[n]) for n in numbers)


class _DataBuilder:
    def __init__(self, source: SourceFile):
        self.source = source
        self.count = 0
        self.scalars = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: DataPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblem(self._at(node, f"file expands to more than {MAX_NODES:,} values",
                                       "aliases (*name) that repeat other aliases are not allowed to multiply like this"))
        self.source.values[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        try:
            value = self.scalars.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise YamlProblem(self._at(node, f"cannot read this value: {getattr(exc, 'problem', exc)}")) from None
        except (ValueError, OverflowError, AttributeError, TypeError, KeyError) as exc:  # 2026-02-30, `!!int abc`
            if node.tag.endswith(":timestamp"):
                reason = f": {exc}" if isinstance(exc, ValueError) else ""
                raise YamlProblem(self._at(node, f"`{node.value}` is not a real date{reason}",
                                           "write an existing date as YYYY-MM-DD, e.g. 2026-11-01")) from None
            raise YamlProblem(self._at(node, f"cannot read the value `{str(node.value)[:40]}`: {exc}",
                                       "put text in quotes")) from None
        return value

    def _mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                hint = ('text that starts with {{ must be in quotes, e.g. "{{ crisis.line.how }} at any time."'
                        if _starts_with_template(self.source.lines, key_node.start_mark) else "write `name: value`")
                raise YamlProblem(self._at(key_node, "a key must be a plain word", hint))
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(self._at(key_node, "merge keys (<<) are not supported", "write the fields out"))
            key = str(key_node.value)
            if key in result:
                raise YamlProblem(self._at(key_node, f"duplicate key `{key}`", "remove one of the two"))
            self.source.keys[path + (key,)] = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,))
        return result

    def _at(self, node: yaml.Node, message: str, hint: str = "") -> Diagnostic:
        mark = node.start_mark
        return Diagnostic(self.source.path, mark.line + 1, mark.column + 1, message, hint)

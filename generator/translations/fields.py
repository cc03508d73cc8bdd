"""Which values of a curriculum file are text a reader sees, and so belong in a translation.

A translation overlay holds only those; everything else (ids, dates, numbers, URLs, phone
numbers, references to other files) stays in the source file alone.
"""

from __future__ import annotations

import hashlib
from typing import Any, Iterator

Path = tuple[Any, ...]

# Keys whose values are never reader-facing text, in any file kind.
NOT_TEXT = frozenset({
    "id", "code", "minutes", "tracks", "covers", "worksheets", "last_reviewed", "module", "url", "verified_on",
    "role", "phone", "sms", "safety", "allow", "family", "type", "lines", "min", "max", "rows", "items", "tags",
    "start", "meeting_days", "language", "paper", "engine", "handouts", "review_limit_months", "translations",
    "year", "number", "author", "publisher",
})
# Mappings whose keys are names chosen by the author (track ids, variable names, family ids),
# so their keys are not field names and all of their values are looked at.
NAMED_ENTRIES = frozenset({"vars", "variants", "families"})
# Top-level keys of an overlay written by tools and reviewers, not translators.
RESERVED = ("translation", "source_hashes")


def is_text_key(kind: str, parent: Path, key: str) -> bool:
    """Whether `key` in the mapping at `parent` of a `kind` file may hold translated text."""
    if parent and parent[-1] in NAMED_ENTRIES:
        return True
    if _in_reference(parent):
        return key == "title"
    if key == "audience":  # a track's audience is a sentence; a module's or family's is a keyword
        return kind == "track" and not parent
    return key not in NOT_TEXT


def may_add(kind: str, parent: Path, key: str) -> bool:
    """Whether a translation may give `key` although its source has none: the word a crisis line
    asks for by text is the language's own (AYUDA in Spanish), not a translation of anything."""
    return kind == "program" and key == "sms_body" and len(parent) == 2 and parent[0] == "crisis"


def _in_reference(parent: Path) -> bool:
    return len(parent) >= 2 and parent[-2] == "references" and isinstance(parent[-1], int)


def text_leaves(kind: str, data: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every non-blank reader-facing text in a source file's data, with its path."""
    if isinstance(data, str):
        if data.strip():
            yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and is_text_key(kind, path, key):
                yield from text_leaves(kind, value, path + (key,))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from text_leaves(kind, item, path + (index,))


def translatable_leaves(kind: str, data: Any) -> Iterator[tuple[Path, str]]:
    """The text leaves a translation is expected to cover. References are not among them: a
    title may be translated, but the page keeps the original title of an English-only document."""
    for path, text in text_leaves(kind, data):
        if "references" not in path:
            yield path, text


def dotted(path: Path) -> str:
    return ".".join(str(step) for step in path)


def undotted(text: str) -> Path:
    return tuple(int(step) if step.isdigit() else step for step in text.split("."))


def text_hash(text: str) -> str:
    """First 12 hex digits of the SHA-256 of `text` with whitespace runs collapsed and stripped."""
    normal = " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


def value_at(data: Any, path: Path) -> Any:
    for step in path:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data

"""Content-rule results kept between runs of `psychoed check` (and of the check a build runs).

The slow rules (phrase rules, safe messaging, readability with its pronouncing dictionary) run
per module or worksheet per track. Their findings and reading grade are stored under a key made
from everything they were computed from: the tailored text, the source file's lines (findings
point into them), the program and the track's safety settings, the reader, and Psychoed's own
files (which hold the built-in rules). Nothing else is trusted: a changed input is a new key.

The cache is one JSON file in the build folder, `build/check-cache.json` (`--build-dir`, shared by
`psychoed check` and `psychoed build`), never in the project itself. It is written whole (renamed
into place), holds only the entries of the last run, and a missing, corrupt or unwritable cache
only costs time.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

from .diagnostics import Diagnostic
from .publish import BUILD_MARKER, mark

CACHE_FILE = "check-cache.json"
_FORMAT = 1


@dataclass(frozen=True)
class UnitResult:
    """What the per-item rules found for one module or worksheet on one track."""

    findings: tuple[Diagnostic, ...]
    grade: Optional[float] = None  # the module's reading grade, when its text was measured


class CheckCache:
    """Results by key: the ones read from disk, and the ones used or made in this run."""

    def __init__(self, file: Optional[Path], stored: dict[str, UnitResult], *, keep: bool = True):
        self.file = file
        self.stored = stored
        self.used: dict[str, UnitResult] = {}
        self.keep = keep  # whether `save` keeps this run's results for the next
        self.hits = self.misses = 0

    @classmethod
    def in_folder(cls, build_dir: Path) -> "CheckCache":
        file = build_dir / CACHE_FILE
        return cls(file, _read(file))

    @classmethod
    def in_memory(cls) -> "CheckCache":
        """Kept by one process between checks (the live preview's checker), never written."""
        return cls(None, {})

    @classmethod
    def disabled(cls) -> "CheckCache":
        return cls(None, {}, keep=False)

    def result(self, key_parts: Sequence[str], compute: Callable[[], UnitResult]) -> UnitResult:
        """The stored result for these inputs, or `compute()`'s, remembered for next time."""
        key = unit_key(key_parts)
        found = self.stored.get(key)
        if found is None:
            self.misses += 1
            found = compute()
        else:
            self.hits += 1
        self.used[key] = found
        return found

    def save(self) -> None:
        """Keep this run's entries for the next run (only those, so the cache does not grow with
        old text), in the file when there is one."""
        if not self.keep:
            return
        changed = self.used.keys() != self.stored.keys()
        self.stored, self.used = self.used, {}
        if self.file is None or not changed:
            return
        data = {"format": _FORMAT, "units": {key: _encode(result) for key, result in sorted(self.stored.items())}}
        partial = self.file.with_name(f".{self.file.name}.{os.getpid()}.partial")
        try:
            mark(self.file.parent, BUILD_MARKER)
            partial.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            os.replace(partial, self.file)
        except OSError:
            pass  # a read-only project: the check still works, only slower next time
        finally:
            try:
                partial.unlink(missing_ok=True)
            except OSError:
                pass


def unit_key(parts: Sequence[str]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8"))
        hasher.update(b"\0\1\0")
    return hasher.hexdigest()


def _encode(result: UnitResult) -> dict[str, object]:
    return {"grade": result.grade,
            "findings": [[d.path, d.line, d.col, d.message, d.hint, d.severity, d.rule] for d in result.findings]}


def _decode(value: object) -> UnitResult:
    if not isinstance(value, dict):
        raise ValueError("not a cache entry")
    grade = value.get("grade")
    findings = tuple(_diagnostic(item) for item in value["findings"])
    return UnitResult(findings, None if grade is None else float(grade))


def _diagnostic(item: object) -> Diagnostic:
    if not isinstance(item, list) or len(item) != 7:
        raise ValueError("not a finding")
    path, line, col, message, hint, severity, rule = item
    if severity not in ("error", "warning") or not all(isinstance(x, str) for x in (path, message, hint, rule)):
        raise ValueError("not a finding")
    return Diagnostic(path, int(line), int(col), message, hint, severity, rule)


def _read(file: Path) -> dict[str, UnitResult]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT:
            return {}
        return {str(key): _decode(value) for key, value in dict(data["units"]).items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}

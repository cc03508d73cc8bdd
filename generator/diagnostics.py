"""Problems found in a curriculum, reported compiler-style: `path:line:col: severity: message`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the curriculum's parent, e.g. curriculum/tracks/anxiety.yml
    line: int  # 1-based
    col: int  # 1-based
    message: str
    hint: str = ""
    severity: Severity = "error"
    rule: str = ""  # content rule id; empty for schema and reference problems

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}: {self.severity}: "
        if self.rule:
            return where + f"[{self.rule}] {self.message}" + (f" ({self.hint})" if self.hint else "")
        return where + self.message + (f" — {self.hint}" if self.hint else "")

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "col": self.col, "severity": self.severity,
                "rule": self.rule or None, "message": self.message, "suggestion": self.hint or None}


class CurriculumError(Exception):
    """Raised when a curriculum cannot be used; carries every problem found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity == "error"]

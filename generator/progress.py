"""What long work is doing, told as it goes: a bar on a terminal, plain lines elsewhere.

`psychoed build` notes each stage ("checking", "track addiction (2/4)") and counts the PDFs it
renders (`PDFs 12/212`). On a terminal (stderr is a TTY and `CI` is not set) the count is a tqdm
progress bar; in a pipe, a log or CI it is a few plain lines, so logs stay readable. Everything
goes to stderr: stdout keeps the one-line summary.

Code that does counted work takes a `Progress` and calls `start`, `advance` and `done`; the
`counted` helper wraps an iterator in those calls.
"""

from __future__ import annotations

import os
import sys
from typing import Iterable, Iterator, Optional, Protocol, TextIO, TypeVar

_Item = TypeVar("_Item")


class Progress(Protocol):
    def note(self, text: str) -> None:
        """One line saying what starts now."""

    def start(self, total: int, label: str) -> None:
        """Counted work of `total` steps begins, e.g. `start(212, "PDFs")`."""

    def advance(self, count: int = 1) -> None: ...

    def done(self) -> None:
        """The counted work ended (also when it failed)."""


class Silent:
    """Says nothing: for library calls and tests that do not want output."""

    def note(self, text: str) -> None:
        pass

    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def done(self) -> None:
        pass


SILENT = Silent()


class PlainLines:
    """Plain lines: the notes, and a count at about every tenth of the work and at its end."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.total = self.count = self.step = 0
        self.label = ""

    def note(self, text: str) -> None:
        self._line(text)

    def start(self, total: int, label: str) -> None:
        self.total, self.count, self.label = total, 0, label
        self.step = max(1, total // 10)
        if total:
            self._line(f"{label} 0/{total}")

    def advance(self, count: int = 1) -> None:
        before, self.count = self.count, self.count + count
        if self.count // self.step != before // self.step or self.count == self.total:
            self._line(f"{self.label} {self.count}/{self.total}")

    def done(self) -> None:
        if self.total and self.count != self.total:  # stopped early (a failure): say where
            self._line(f"{self.label} stopped at {self.count}/{self.total}")
        self.total = self.count = 0

    def _line(self, text: str) -> None:
        # One write per line: a build's notes and its PDF counts come from two threads.
        self.stream.write(f"{text}\n")
        self.stream.flush()


class TerminalBar(PlainLines):
    """Notes as lines, counted work as a tqdm bar that is cleared when the work ends."""

    def __init__(self, stream: TextIO):
        super().__init__(stream)
        self.bar: Optional[object] = None

    def start(self, total: int, label: str) -> None:
        from tqdm import tqdm  # only on a terminal: a pipe or CI never pays for the import

        self.done()
        self.bar = tqdm(total=total, desc=label, unit="", file=self.stream, leave=True, dynamic_ncols=True,
                        bar_format="{desc} {n_fmt}/{total_fmt} {bar} {elapsed}")

    def advance(self, count: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(count)  # type: ignore[attr-defined]

    def done(self) -> None:
        if self.bar is not None:
            self.bar.close()  # type: ignore[attr-defined]
            self.bar = None

    def _line(self, text: str) -> None:
        if self.bar is None:
            super()._line(text)
        else:  # a note while the PDFs count (the pages build meanwhile): above the bar, which stays
            self.bar.write(text, file=self.stream)  # type: ignore[attr-defined]


def for_stream(stream: TextIO = sys.stderr) -> Progress:
    """A bar when `stream` is a terminal and not in CI; plain lines otherwise."""
    if _is_terminal(stream) and not os.environ.get("CI"):
        return TerminalBar(stream)
    return PlainLines(stream)


def counted(items: Iterable[_Item], total: int, label: str, progress: Progress) -> Iterator[_Item]:
    """`items`, advancing `progress` by one as each is taken; `done` also when the loop stops early."""
    progress.start(total, label)
    try:
        for item in items:
            yield item
            progress.advance()
    finally:
        progress.done()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

"""What a `psychoed build` did, for the command line to print and for tests to check.

Kept apart from build.py, whose imports are heavy, so that a no-op build can report without
loading the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic


@dataclass(frozen=True)
class BuildReport:
    tracks: list[str]  # the ids built
    warnings: list[Diagnostic]  # content-rule warnings: published anyway, worth fixing
    pdfs_rendered: tuple[Path, ...] = ()  # PDFs rendered now
    pdfs_reused: tuple[Path, ...] = ()  # PDFs whose cached copy was still right
    engine_builds: tuple[str, ...] = ()  # one entry per site the engine built (a track, or its offline copy)
    noop: bool = False  # nothing had changed since the last build: nothing was checked, built or published
    up_to_date: tuple[str, ...] = ()  # tracks left as they were published, their inputs unchanged
    known_warnings: int = 0  # on a no-op build, how many warnings the last real build published with
    seconds: float = 0.0

    def summary(self, out: Path) -> str:
        """One line: what was done, with counts and seconds."""
        if self.noop:
            noted = f"; {self.known_warnings} warning(s), see `psychoed check`" if self.known_warnings else ""
            return (f"nothing changed since the last build: {len(self.up_to_date)} track(s) in {out}/ up to date "
                    f"({self.seconds:.2f} s){noted}")
        pdfs = len(self.pdfs_rendered) + len(self.pdfs_reused)
        kept = f" ({len(self.up_to_date)} unchanged)" if self.up_to_date else ""
        sites = list(dict.fromkeys(self.engine_builds)) or self.tracks  # e.g. "addiction", "es/addiction"
        return (f"built {len(self.tracks)} track(s){kept} as {len(sites)} site(s), {pdfs} PDFs "
                f"({len(self.pdfs_reused)} reused) into {out}/ in {self.seconds:.1f} s: {', '.join(sites)}")

"""PDFs after the pages: the preview renders a track's handouts in a child process while the
author reads the pages, and a newer save stops that work before it starts its own.

A process, not a thread: WeasyPrint is pure Python and would hold the interpreter lock the
page builds need, and a process can be stopped at once. It runs at a lower priority, takes
the build folder's lock itself (so `psychoed build` in another terminal waits for it, not
the other way round), and records what it finished in the PDF cache before it stops.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..handouts import HandoutBatch, RenderReport, refresh_handouts

_STOP_SECONDS = 5.0
_PRIORITY = 10  # `nice` increment: the author's next page build comes first


@dataclass(frozen=True)
class PdfOutcome:
    generation: int
    ok: bool
    message: str  # why it failed, when it did


class BackgroundPdfs:
    """At most one render of the track's handouts at a time; `start` stops the one before."""

    def __init__(self, build_dir: Path, on_done: Callable[[int, Sequence[HandoutBatch], PdfOutcome], None]):
        self._build_dir = build_dir
        self._on_done = on_done
        self._context = multiprocessing.get_context("spawn")  # no fork of a process running server threads
        self._process: multiprocessing.process.BaseProcess | None = None
        self._generation = 0
        self._lock = threading.Lock()

    def start(self, batches: Sequence[HandoutBatch]) -> int:
        """Render `batches` in the background; returns the render's generation number."""
        with self._lock:
            self._stop_locked()
            self._generation += 1
            generation = self._generation
            results = self._context.SimpleQueue()
            process = self._context.Process(target=_render, args=(self._build_dir, list(batches), results),
                                            name=f"psychoed-serve-pdfs-{generation}")
            process.start()
            self._process = process
        threading.Thread(target=self._wait, args=(generation, process, results, batches), daemon=True,
                         name="psychoed-serve-pdf-waiter").start()
        return generation

    def stop(self) -> None:
        """Stop the render in progress, if any (what it finished stays in the cache)."""
        with self._lock:
            self._generation += 1
            self._stop_locked()

    def current(self, generation: int) -> bool:
        return generation == self._generation

    def _stop_locked(self) -> None:
        process, self._process = self._process, None
        if process is None or not process.is_alive():
            return
        process.terminate()
        process.join(_STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()

    def _wait(self, generation: int, process: multiprocessing.process.BaseProcess,
              results: "multiprocessing.queues.SimpleQueue[str]", batches: Sequence[HandoutBatch]) -> None:
        process.join()
        message = results.get() if not results.empty() else f"stopped (exit status {process.exitcode})"
        outcome = PdfOutcome(generation, process.exitcode == 0 and message == "", message)
        if self.current(generation):
            self._on_done(generation, batches, outcome)


def _render(build_dir: Path, batches: list[HandoutBatch], results: "multiprocessing.queues.SimpleQueue[str]") -> None:
    """The child process: render what the cache lacks, holding the build folder's lock."""
    from ..diagnostics import CurriculumError
    from ..errors import RunError
    from ..lock import holding

    signal.signal(signal.SIGTERM, _stop_workers)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the terminal is the parent's to answer
    try:
        os.nice(_PRIORITY)
    except OSError:
        pass
    try:
        with holding([build_dir], "psychoed serve (PDFs)"):
            report: RenderReport = refresh_handouts(batches)
        print(f"psychoed: {len(report.rendered)} PDF handout(s) rendered", file=sys.stderr, flush=True)
        results.put("")
    except (CurriculumError, RunError, OSError) as exc:
        results.put(str(exc))
        sys.exit(1)


def _stop_workers(signum: int, frame: object) -> None:
    """SIGTERM: kill the renderers at once, then unwind so the cache records what is finished."""
    for child in multiprocessing.active_children():
        child.kill()
    raise SystemExit(0)

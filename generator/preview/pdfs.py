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
import pickle
import queue
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..handouts import RenderReport, refresh_handouts
from ..pdf_process import PrintJob
from ..pdf_worker import become_pdf_child, stop_child

_PRIORITY = 10  # `nice` increment: the author's next page build comes first


@dataclass(frozen=True)
class PdfOutcome:
    generation: int
    ok: bool
    rendered: int  # PDFs rendered now (0: every one came from the cache)
    message: str  # why it failed, when it did


class BackgroundPdfs:
    """At most one render of the track's handouts at a time; `start` stops the one before.
    The job goes to the child through a file in `scratch`, so the pipe that starts the child
    carries only its name."""

    def __init__(self, build_dir: Path, scratch: Path, on_done: Callable[[PdfOutcome], None]):
        self._build_dir = build_dir
        self._scratch = scratch
        self._on_done = on_done
        self._context = multiprocessing.get_context("spawn")  # no fork of a process running server threads
        self._process: multiprocessing.process.BaseProcess | None = None
        self._generation = 0
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[tuple[int, PrintJob]] = queue.SimpleQueue()
        threading.Thread(target=self._launch_jobs, name="psychoed-serve-pdf-launcher", daemon=True).start()

    def start(self, job: PrintJob) -> None:
        """Render the job's handouts in the background, unless `stop` is called first."""
        with self._lock:
            self._jobs.put((self._generation, job))

    def _launch_jobs(self) -> None:
        """The one thread that starts the child processes: the kernel ends a child asked to die
        with its parent when the thread that started it ends, so that thread lives as long as
        the preview."""
        while True:
            asked_in, job = self._jobs.get()
            with self._lock:
                if asked_in != self._generation:
                    continue  # stopped since it was asked for
                self._stop_locked()
                self._generation += 1
                generation = self._generation
                job_file = self._scratch / f"pdf-job-{generation}.pickle"
                job_file.write_bytes(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
                results = self._context.SimpleQueue()
                process = self._context.Process(target=_render, args=(self._build_dir, job_file, results),
                                                name=f"psychoed-serve-pdfs-{generation}")
                process.start()
                self._process = process
            threading.Thread(target=self._wait, args=(generation, process, results, job_file), daemon=True,
                             name="psychoed-serve-pdf-waiter").start()

    def stop(self) -> None:
        """Stop the render in progress, if any (what it finished stays in the cache)."""
        with self._lock:
            self._generation += 1
            self._stop_locked()

    def current(self, generation: int) -> bool:
        return generation == self._generation

    def _stop_locked(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            stop_child(process)

    def _wait(self, generation: int, process: multiprocessing.process.BaseProcess,
              results: "multiprocessing.queues.SimpleQueue[tuple[int, str]]", job_file: Path) -> None:
        process.join()
        job_file.unlink(missing_ok=True)
        rendered, message = results.get() if not results.empty() else (0, f"stopped (exit status {process.exitcode})")
        outcome = PdfOutcome(generation, process.exitcode == 0 and message == "", rendered, message)
        if self.current(generation):
            self._on_done(outcome)


def _render(build_dir: Path, job_file: Path, results: "multiprocessing.queues.SimpleQueue[tuple[int, str]]") -> None:
    """The child process: make the print HTML, render what the cache lacks, holding the build
    folder's lock."""
    from ..diagnostics import CurriculumError
    from ..errors import RunError
    from ..lock import holding

    become_pdf_child()  # the preview killed outright (SIGKILL) takes this process with it
    try:
        os.nice(_PRIORITY)
    except OSError:
        pass
    try:
        job: PrintJob = pickle.loads(job_file.read_bytes())
        batches = job.batches()
        with holding([build_dir], "psychoed serve (PDFs)"):
            report: RenderReport = refresh_handouts(batches)
        results.put((len(report.rendered), ""))
    except (CurriculumError, RunError, OSError) as exc:
        results.put((0, str(exc)))
        sys.exit(1)


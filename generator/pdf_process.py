"""A build's PDFs, made in a child process while the build checks the content and builds pages.

A cold build's work is in two parts that need nothing of each other: the content rules and
the engine's page builds (each on one core, in the build's own process), and the print HTML
and PDFs (in this child and its worker processes, one per core). Run one after the other,
the content rules and the page builds leave a core idle; side by side, every core works to
the end. The pages link to placeholder PDFs until the real ones land (sites.py), as in the
live preview.

A process, not a thread: making the print HTML is pure Python and would hold the interpreter
lock the content rules need. The child reports its progress and its outcome through a pipe;
stopping it (a check that fails, Ctrl+C) kills its workers at once, and what they finished
stays in the PDF cache. It takes no lock: the build holds the build folder's lock throughout.
It is forked when the build runs no other thread (it then starts with everything imported),
and spawned otherwise (pdf_worker.process_context).
"""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Optional, Sequence

from .errors import RunError
from .handouts import HandoutBatch, RenderReport, refresh_handouts, track_handouts
from .pdf_worker import become_pdf_child, process_context, stop_child
from .progress import Progress
from .tailor import TrackView
from .translations.translate import Translation


@dataclass(frozen=True)
class PrintJob:
    """One track's PDFs in one language edition: what the child needs to make their print HTML."""

    view: TrackView
    project_dir: Path  # the track's folder in the build folder, which holds its PDF cache
    large_print: bool = False
    track_url: Optional[str] = None  # the track site's address, for the QR codes
    translation: Optional[Translation] = None

    def batches(self) -> list[HandoutBatch]:
        return track_handouts(self.view, self.project_dir, large_print=self.large_print,
                              track_url=self.track_url, translation=self.translation)


class BackgroundHandouts:
    """The jobs' PDFs rendered by a child process from the moment this is made. `result` waits
    for them; leaving the `with` block any other way stops the child. With no jobs, no child."""

    def __init__(self, jobs: Sequence[PrintJob], progress: Progress):
        self._outcome: Optional[tuple[str, object]] = None
        self._process: Optional[multiprocessing.process.BaseProcess] = None
        if not jobs:
            self._outcome = ("report", RenderReport((), ()))
            return
        context = process_context()
        receiving, sending = context.Pipe(duplex=False)
        self._process = context.Process(target=_render, args=(list(jobs), sending), name="psychoed-pdfs")
        self._process.start()
        sending.close()  # the child's copy stays open: its end is the pipe's end
        self._listener = threading.Thread(target=self._listen, args=(receiving, progress),
                                          name="psychoed-pdf-progress", daemon=True)
        self._listener.start()

    def __enter__(self) -> "BackgroundHandouts":
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.stop()

    def result(self) -> RenderReport:
        """What was rendered and reused, once the child is done; its error, raised here, if it failed."""
        if self._process is not None:
            self._listener.join()
            self._process.join()
        outcome = self._outcome
        if outcome is None:
            code = self._process.exitcode if self._process is not None else None
            raise RunError(f"the process rendering the PDFs stopped unexpectedly (exit status {code})")
        kind, value = outcome
        if kind == "error":
            assert isinstance(value, BaseException)
            raise value
        assert isinstance(value, RenderReport)
        return value

    def stop(self) -> None:
        """Stop the child if it is still at work (a finished child is left as it is)."""
        if self._process is not None and self._process.is_alive():
            stop_child(self._process)
            self._listener.join()

    def _listen(self, receiving: Connection, progress: Progress) -> None:
        """Pass the child's progress on, until its outcome arrives or it is gone."""
        counting = False
        try:
            while True:
                try:
                    message = receiving.recv()
                except (EOFError, OSError):
                    return
                kind, *arguments = message
                if kind in ("report", "error"):
                    self._outcome = (kind, arguments[0])
                    return
                if kind in ("start", "done"):
                    counting = kind == "start"
                getattr(progress, kind)(*arguments)
        finally:
            receiving.close()
            if counting:  # stopped in the middle of counted work: say where it stopped
                progress.done()


class _PipeProgress:
    """The child's side of the progress: each call sent to the parent as it happens."""

    def __init__(self, sending: Connection):
        self._sending = sending

    def note(self, text: str) -> None:
        self._sending.send(("note", text))

    def start(self, total: int, label: str) -> None:
        self._sending.send(("start", total, label))

    def advance(self, count: int = 1) -> None:
        self._sending.send(("advance", count))

    def done(self) -> None:
        self._sending.send(("done",))


def _render(jobs: list[PrintJob], sending: Connection) -> None:
    """The child process: make the print HTML of every job, then render what the cache lacks."""
    become_pdf_child()
    try:
        batches = [batch for job in jobs for batch in job.batches()]
        report = refresh_handouts(batches, progress=_PipeProgress(sending))
    except Exception as exc:  # the parent raises it: a PDF over its time limit, a full disk …
        try:
            sending.send(("error", exc))
        except Exception:  # an error that cannot be sent as it is: its message
            sending.send(("error", RunError(f"rendering the PDFs failed: {exc}")))
    else:
        sending.send(("report", report))
    finally:
        sending.close()

"""Rendering PDFs in worker processes that cannot outlive the build, each within a time limit.

WeasyPrint's line breaking is quadratic in the length of an unbroken word, and a pathological
document can take minutes; every render gets a time limit. Worker processes are tied to the
build: on Linux the kernel kills a worker when the process that started it dies (even by
SIGKILL), and a worker whose parent is already gone exits at once.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable, Iterator, Optional

from .errors import RunError

# Generous: the bundled 150-page handbook takes about 20 s on an idle 2-core machine and several
# times that on a busy one; the limit is there to stop pathological text, which the text-size
# and word-length limits mostly stop first.
DEFAULT_SECONDS = 900.0
_PR_SET_PDEATHSIG = 1


class PdfTimeLimit(RunError):
    """A PDF took longer than the limit to render."""


def time_limit() -> float:
    try:
        return max(0.1, float(os.environ.get("PSYCHOED_PDF_TIMEOUT", DEFAULT_SECONDS)))
    except ValueError:
        return DEFAULT_SECONDS


def die_with_parent() -> None:
    """Process-pool initializer: ask the kernel to kill this worker when its parent dies."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: the check below still catches a parent that is already gone
    if os.getppid() == 1:  # the parent died before the request above took effect
        os._exit(1)


def become_pdf_child() -> None:
    """In a child process that renders PDFs for its parent (the build's or the preview's): die
    with the parent, leave Ctrl+C to the parent, and on SIGTERM kill the worker processes at
    once, then unwind, so the PDF cache records what is finished."""
    die_with_parent()
    signal.signal(signal.SIGTERM, _kill_workers_and_exit)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop_child(process: multiprocessing.process.BaseProcess, seconds: float = 5.0) -> None:
    """Stop a PDF child process that may still be at work: SIGTERM (it kills its workers and
    records what they finished), then SIGKILL if it has not ended within `seconds`."""
    if not process.is_alive():
        return
    process.terminate()
    process.join(seconds)
    if process.is_alive():
        process.kill()
        process.join()


def _kill_workers_and_exit(signum: int, frame: object) -> None:
    for child in multiprocessing.active_children():
        child.kill()
    raise SystemExit(0)


def render_in_time(render: Callable[[str, Path], None], html: str, target: Path, seconds: float) -> None:
    """`render(html, target)`, stopped with PdfTimeLimit after `seconds` (only where a timer
    signal can be delivered: the main thread of a process)."""
    if threading.current_thread() is not threading.main_thread():
        render(html, target)
        return

    def stop(signum: int, frame: object) -> None:
        raise PdfTimeLimit(f"rendering {target} took more than {seconds:g} s and was stopped; very long "
                           "unbroken words or huge tables in its text can do this (PSYCHOED_PDF_TIMEOUT sets the limit)")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        render(html, target)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_context() -> multiprocessing.context.BaseContext:
    """How to start a process that renders PDFs: a fork on Linux while this process runs no
    other thread (the new process starts with Psychoed imported and needs nothing sent to it);
    otherwise a spawn, since a fork would copy locks that another thread may be holding."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


Call = tuple[object, Callable[..., object], tuple]  # a key, a function and its arguments


class Workers:
    """The worker processes of one refresh: started when first needed and kept warm for each
    later batch of calls (a worker imports WeasyPrint and parses the print CSS once), then
    stopped by `close`. With one core, or for a single call before any worker runs, the call
    runs in this process: a one-module edit then waits for no process to start."""

    def __init__(self, count: Optional[int] = None):
        self.count = count or os.cpu_count() or 1
        self._pool: Optional[ProcessPoolExecutor] = None

    def run(self, calls: list[Call]) -> Iterator[object]:
        """Run each `function(*arguments)`, yielding each call's key as it finishes. After a
        failure (or when the caller stops listening) the calls not started yet are dropped."""
        if self.count <= 1 or (self._pool is None and len(calls) <= 1):
            for key, function, arguments in calls:
                function(*arguments)
                yield key
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.count, mp_context=process_context(),
                                             initializer=die_with_parent)
        futures = {self._pool.submit(function, *arguments): key for key, function, arguments in calls}
        try:
            for future in as_completed(futures):
                future.result()
                yield futures[future]
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

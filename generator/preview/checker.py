"""The full check in a warm child process, beside the page build.

Most of a check's time goes to the content rules (phrases, numbers, readability, near-copies),
which the pages do not need: the pages need the curriculum loaded and the track tailored,
which the preview does itself. So each save sends the check to this process, which keeps the
rule data, the pronouncing dictionary and each module's results (check_cache.py, in memory)
between saves, while the preview builds the pages on the other core; the answer puts the error
page up, or takes it down, when it comes.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Callable

from ..diagnostics import Diagnostic
from ..pdf_worker import die_with_parent


@dataclass(frozen=True)
class CheckAnswer:
    save: int  # the save it was asked for
    ok: bool
    diagnostics: list[Diagnostic]


class BackgroundCheck:
    """One child process answering check requests in order; `on_answer` runs on a reader thread."""

    def __init__(self, curriculum_dir: Path, track_id: str, on_answer: Callable[[CheckAnswer], None]):
        context = multiprocessing.get_context("spawn")
        self._requests, child_end = context.Pipe()
        # A daemon process: multiprocessing ends it when the preview exits, however it exits.
        self._process = context.Process(target=_answer_checks, args=(child_end, curriculum_dir, track_id),
                                        name="psychoed-serve-check", daemon=True)
        self._process.start()
        child_end.close()
        self._on_answer = on_answer
        self._send_lock = threading.Lock()
        threading.Thread(target=self._read_answers, name="psychoed-serve-check-reader", daemon=True).start()

    def ask(self, save: int) -> None:
        with self._send_lock:
            self._requests.send(save)

    def close(self) -> None:
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._requests.close()

    def _read_answers(self) -> None:
        while True:
            try:
                answer: CheckAnswer = self._requests.recv()
            except (EOFError, OSError):
                return  # the child was stopped: the preview is ending
            self._on_answer(answer)


def _answer_checks(requests: Connection, curriculum_dir: Path, track_id: str) -> None:
    """The child: check the curriculum for each save it is asked about, newest first."""
    from ..check import check_curriculum
    from ..check_cache import CheckCache

    die_with_parent()  # the preview killed outright (SIGKILL) takes this process with it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to answer
    cache = CheckCache.in_memory()  # a save re-checks only the modules and worksheets it changed
    while True:
        try:
            save: int = requests.recv()
            while requests.poll():  # saves that came in meanwhile: only the newest needs checking
                save = requests.recv()
        except (EOFError, OSError):
            return
        result = check_curriculum(curriculum_dir, lint_tracks=[track_id], cache=cache)
        try:
            requests.send(CheckAnswer(save, result.ok, result.diagnostics))
        except (BrokenPipeError, OSError):
            return

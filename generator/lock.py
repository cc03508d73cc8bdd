"""One run at a time per folder: a lock held from the first read to the last write.

Two builds into the same folders would delete each other's staging and cache files. Each
run takes an exclusive `flock` per folder it writes (the build folder, the output folder); a
second run waits for the first, saying who it waits for, and gives up after a time limit
with the holder's process id and command. The lock files live in a private folder of the
user's temporary directory, keyed by the folder's absolute path, so nothing is left in the
author's project; the kernel releases a lock when its process dies, even by SIGKILL.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator, Sequence, TextIO

from .errors import RunError

DEFAULT_TIMEOUT_SECONDS = 600.0
_POLL_SECONDS = 0.2


def lock_dir() -> Path:
    folder = Path(os.environ.get("PSYCHOED_LOCK_DIR") or Path(tempfile.gettempdir()) / f"psychoed-locks-{os.getuid()}")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def lock_file(folder: Path) -> Path:
    absolute = str(folder.resolve())
    key = hashlib.sha256(absolute.encode("utf-8")).hexdigest()[:24]
    return lock_dir() / f"{folder.resolve().name or 'root'}-{key}.lock"


def timeout_seconds() -> float:
    try:
        return float(os.environ.get("PSYCHOED_LOCK_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))
    except ValueError:
        return DEFAULT_TIMEOUT_SECONDS


@contextmanager
def holding(folders: Sequence[Path], command: str, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the lock of every folder (in one fixed order, so two runs cannot deadlock)."""
    limit = timeout_seconds() if timeout is None else timeout
    unique = sorted({folder.resolve() for folder in folders})
    with ExitStack() as stack:
        for folder in unique:
            stack.enter_context(_folder_lock(folder, command, limit))
        yield


@contextmanager
def _folder_lock(folder: Path, command: str, timeout: float) -> Iterator[None]:
    path = lock_file(folder)
    with open(path, "a+", encoding="utf-8") as handle:
        _acquire(handle, folder, timeout)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}, `{command}`, started {datetime.now():%Y-%m-%d %H:%M:%S}\n")
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle: TextIO, folder: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = _holder(handle)
        if time.monotonic() >= deadline:
            raise RunError(f"{folder} is in use by another Psychoed run ({holder}); waited {timeout:.0f} s. "
                           "Run again when it has finished")
        if not told:
            print(f"psychoed: waiting for another run to finish with {folder} ({holder})", file=sys.stderr)
            told = True
        time.sleep(_POLL_SECONDS)


def _holder(handle: TextIO) -> str:
    handle.seek(0)
    return handle.read().strip() or "holder unknown"

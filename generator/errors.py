"""The kinds of failure the command line tells apart, each with its own exit status.

A problem in the curriculum is a `CurriculumError` (diagnostics.py, exit 1). The classes here
are the others: the command asked for something impossible (`UsageError`, exit 2), or the
machine would not let the run finish — a full disk, a read-only folder, a folder held by
another run, a PDF that took too long (`RunError`, exit 1). Each carries one line for the author.
"""

from __future__ import annotations

import errno


class UsageError(Exception):
    """The command was asked for something that does not exist or must not be done (exit status 2)."""


class RunError(Exception):
    """The run could not finish for a reason outside the curriculum's text (exit status 1)."""


class SiteBuildError(Exception):
    """The engine refused to build a track (in strict mode every warning counts)."""

    def __init__(self, track_id: str, messages: list[str]):
        self.track_id = track_id
        self.messages = messages
        super().__init__(f"track `{track_id}`: " + "; ".join(messages))


class EngineUnavailable(Exception):
    """The engine's package is not installed (a usage error: exit status 2)."""


# OS errors that are the machine's state, not a bug: reported in one line, never as "internal error".
_ENVIRONMENT_ERRNOS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the folder is on a read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EMFILE: "too many open files",
    errno.ENAMETOOLONG: "the file name is too long",
}


def environment_problem(exc: OSError) -> str | None:
    """One line describing `exc` when it is about the machine (disk full, read-only …), else None."""
    reason = _ENVIRONMENT_ERRNOS.get(exc.errno or 0)
    if reason is None:
        return None
    where = f" {exc.filename}" if exc.filename is not None else ""
    return f"cannot write{where}: {reason}"

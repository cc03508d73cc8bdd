"""`psychoed serve`: live preview of one track, rebuilt when the curriculum or theme changes.

The port is taken first, so a taken port is one line and exit status 2 before any work. Each
save rebuilds the pages in this process and reloads the browser; the PDFs follow in the
background. A save that fails the check shows its diagnostics in the browser and the
terminal until a save fixes them (`preview/`). Ctrl+C (exit 130) and SIGTERM (exit 0) stop
the server and the PDF work and remove the temporary folder.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .preview.server import PreviewServer
from .preview.session import PreviewSession, say

HOST = "127.0.0.1"
EXIT_TERMINATED, EXIT_INTERRUPTED = 0, 130


class Terminated(BaseException):
    """SIGTERM arrived: stop as Ctrl+C would, but it is an ordinary way to end (exit status 0)."""


def serve(curriculum_dir: Path, track_id: str, build_dir: Path, *, port: int = 8000,
          engine: str | None = None) -> int:
    """Preview `track_id` until stopped; returns the exit status."""
    preview = Path(tempfile.mkdtemp(prefix="psychoed-serve-"))
    try:
        with terminate_as_exception():
            return _serve(curriculum_dir, track_id, build_dir, preview, port=port, engine=engine)
    except Terminated:
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    finally:
        shutil.rmtree(preview, ignore_errors=True)


def _serve(curriculum_dir: Path, track_id: str, build_dir: Path, preview: Path, *, port: int,
           engine: str | None) -> int:
    server: PreviewServer | None = None
    session: PreviewSession | None = None

    def show_failure(page: bytes | None) -> None:
        assert server is not None
        server.failure_page = page

    def reload_browsers() -> None:
        assert server is not None
        server.reload_browsers()

    def rebuild() -> None:
        assert session is not None
        session.rebuild()

    site, scratch = preview / "site", preview / "jobs"
    site.mkdir()
    scratch.mkdir()
    server = PreviewServer(rebuild, site, host=HOST, port=port)
    server.bind()
    try:
        session = PreviewSession(curriculum_dir, track_id, build_dir, site, scratch, engine=engine,
                                 show_failure=show_failure, reload_browsers=reload_browsers)
        say(f"serving `{track_id}` at http://{HOST}:{port}/ (Ctrl+C to stop); building the pages")
        session.rebuild()
        server.watch_all(session.watched())
        server.serve()
    finally:
        if session is not None:
            session.close()
        server.shutdown()
    return EXIT_TERMINATED


@contextmanager
def terminate_as_exception() -> Iterator[None]:
    """While inside, SIGTERM raises Terminated in the main thread, so `finally` blocks run."""

    def stop(signum: int, frame: object) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

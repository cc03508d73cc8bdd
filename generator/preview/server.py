"""The preview's web server: MkDocs' live-reload server, bound before the first build, with an
error page in place of every page while the curriculum fails its check, and a reload that the
preview can ask for at any time (when the PDFs land after the pages).

MkDocs' server is the one both engines use: Zensical's own server rebuilds from mkdocs.yml
alone, not from the curriculum.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from mkdocs.livereload import LiveReloadServer, _timestamp

from ..errors import UsageError


class PortInUse(UsageError):
    """The preview's port is taken by another program (exit status 2)."""


class PreviewServer(LiveReloadServer):
    """Serves the preview folder; `failure_page` (HTML), when set, answers every page request."""

    def __init__(self, builder: Callable[[], None], root: Path, *, host: str, port: int):
        super().__init__(builder=builder, host=host, port=port, root=str(root))
        # Inotify instead of MkDocs' half-second polling: a save is seen at once.
        from watchdog.observers import Observer

        self.observer = Observer()
        self.build_delay = 0.05  # editors write a file in several steps; wait this long for quiet
        self.failure_page: bytes | None = None

    def bind(self) -> None:
        """Take the port now, so a taken port is reported before any work is done."""
        try:
            self.server_bind()
            self.server_activate()
        except OSError as exc:
            self.server_close()
            if exc.errno == errno.EADDRINUSE:
                port = self.server_address[1]
                raise PortInUse(f"port {port} is in use; choose another with --port") from None
            raise

    def watch_all(self, paths: Sequence[Path]) -> None:
        """Rebuild when a file under one of `paths` is written, created, moved or deleted. Not on
        MkDocs' `watch`: inotify also reports files being opened and read, which every build does."""
        import watchdog.events

        def changed(event: watchdog.events.FileSystemEvent) -> None:
            if event.is_directory or event.event_type not in _CHANGES:
                return
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = changed  # type: ignore[method-assign]
        for path in paths:
            self._watched_paths[str(path)] = 1
            self.observer.schedule(handler, str(path), recursive=path.is_dir())

    def serve(self, *, open_in_browser: bool = False) -> None:
        """Serve and rebuild on changes until shut down (the port is bound already)."""
        if self._watched_paths:
            self.observer.start()
        self.serve_thread.start()
        self._build_loop()

    def reload_browsers(self) -> None:
        """Tell every open page to reload (safe from any thread). During a rebuild nothing is
        needed: its end reloads the pages anyway."""
        with self._epoch_cond:
            if self._wanted_epoch != self._visible_epoch:
                return
            epoch = max(_timestamp(), self._visible_epoch + 1)
            self._wanted_epoch = self._visible_epoch = epoch
            self._epoch_cond.notify_all()

    def _serve_request(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes] | None:
        failure = self.failure_page
        path: str = environ.get("PATH_INFO", "")
        if failure is not None and _is_page(path):
            with self._epoch_cond:
                self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
                epoch = self._visible_epoch
            content = self._inject_js_into_html(failure, epoch)
            start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                         ("Content-Length", str(len(content))),
                                                         ("Cache-Control", "no-store")])
            return [content]
        return super()._serve_request(environ, start_response)


_CHANGES = {"created", "modified", "deleted", "moved", "closed"}


def _is_page(path: str) -> bool:
    """A request for a page (not an asset, a PDF or the live-reload poll)."""
    if path.startswith("/livereload/"):
        return False
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith(".html") or "." not in last


__all__ = ["PortInUse", "PreviewServer"]

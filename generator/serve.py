"""`psychoed serve`: live preview of one track, rebuilt when the curriculum or theme changes.

Uses MkDocs' own live-reload server; the builder runs the whole Psychoed pipeline so a
YAML edit shows up in the browser. A broken edit prints its diagnostics and keeps the
last good preview on screen.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from .build import choose_tracks, track_handouts, write_track_project
from .check import check_curriculum
from .diagnostics import errors
from .handouts import copy_handouts, refresh_handouts
from .postbuild import sanitize_site
from .render import HANDOUTS_DIR
from .site import Publishing, SiteBuildError, ThemeFiles, build_site

HOST = "127.0.0.1"


def serve(curriculum_dir: Path, track_id: str, build_dir: Path, *, port: int = 8000) -> None:
    from mkdocs.livereload import LiveReloadServer

    theme = ThemeFiles.for_project(curriculum_dir.resolve().parent)
    preview = Path(tempfile.mkdtemp(prefix="psychoed-serve-"))

    def rebuild() -> None:
        result = check_curriculum(curriculum_dir)
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stderr)
        if not result.ok or result.curriculum is None:
            print(f"psychoed: {len(errors(result.diagnostics))} error(s); showing the last good build", file=sys.stderr)
            return
        choose_tracks(result.curriculum, [track_id])
        view = result.views[track_id]
        # Pages first, with the PDFs as last rendered; then the PDFs whose content changed.
        handouts = track_handouts(view, build_dir / track_id)
        config = write_track_project(view, build_dir / track_id, Path("site") / track_id, theme, handouts,
                                     placeholders=True, publishing=Publishing(preview=True))
        try:
            build_site(config, preview, track_id)
            sanitize_site(preview)
        except SiteBuildError as exc:
            print(f"psychoed: {exc}", file=sys.stderr)
            return
        print(f"psychoed: rebuilt `{track_id}`", file=sys.stderr)
        report = refresh_handouts(handouts)
        for batch in handouts:
            copy_handouts(batch.documents, batch.folder, preview / HANDOUTS_DIR)
        if report.rendered:
            print(f"psychoed: {len(report.rendered)} PDF handout(s) updated", file=sys.stderr)

    rebuild()
    server = LiveReloadServer(builder=rebuild, host=HOST, port=port, root=str(preview))
    server.watch(str(curriculum_dir.resolve()))
    server.watch(str(theme.theme_dir))
    server.watch(str(theme.base_config))
    print(f"psychoed: serving `{track_id}` at http://{HOST}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(preview, ignore_errors=True)

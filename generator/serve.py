"""`psychoed serve`: live preview of one track, rebuilt when the curriculum or theme changes.

The engine's live-reload server calls back into the whole Psychoed pipeline, so a YAML edit
shows up in the browser. A broken edit prints its diagnostics and keeps the last good
preview on screen.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from .build import choose_tracks, track_handouts, write_track_project
from .check import check_curriculum
from .diagnostics import CurriculumError, errors
from .engines import DEFAULT_ENGINE, Engine, Publishing, SiteBuildError, get_engine
from .errors import RunError, environment_problem
from .lock import holding
from .publish import BUILD_MARKER, mark
from .handouts import copy_handouts, refresh_handouts
from .postbuild import sanitize_site
from .render import HANDOUTS_DIR
from .shipped import ThemeFiles

HOST = "127.0.0.1"


def serve(curriculum_dir: Path, track_id: str, build_dir: Path, *, port: int = 8000,
          engine: str | None = None) -> None:
    """Preview `track_id` with `engine` (default: the program's `engine:` setting)."""
    theme = ThemeFiles.for_project(curriculum_dir.resolve().parent)
    preview = Path(tempfile.mkdtemp(prefix="psychoed-serve-"))
    engines: list[Engine] = []  # the engine of the latest build: `engine:` in program.yml may change

    def rebuild() -> None:
        """One preview build, holding the build folder's lock; a failure keeps the last good preview
        (an exception here would leave the server answering nothing)."""
        try:
            with holding([build_dir], "psychoed serve"):
                mark(build_dir, BUILD_MARKER)
                rebuild_preview()
        except (CurriculumError, RunError) as exc:
            print(f"psychoed: {exc}", file=sys.stderr)
        except OSError as exc:
            print(f"psychoed: error: {environment_problem(exc) or exc}", file=sys.stderr)

    def rebuild_preview() -> None:
        result = check_curriculum(curriculum_dir)
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stderr)
        if not result.ok or result.curriculum is None:
            print(f"psychoed: {len(errors(result.diagnostics))} error(s); showing the last good build", file=sys.stderr)
            return
        choose_tracks(result.curriculum, [track_id])
        view = result.views[track_id]
        site_engine = get_engine(engine or result.curriculum.program.engine)
        engines[:] = [site_engine]
        # Pages first, with the PDFs as last rendered; then the PDFs whose content changed.
        handouts = track_handouts(view, build_dir / track_id, large_print=view.program.handouts.large_print)
        config = write_track_project(site_engine, view, build_dir / track_id, Path("site") / track_id, theme,
                                     handouts, placeholders=True, publishing=Publishing(preview=True))
        try:
            site_engine.build(config, preview, track_id)
            sanitize_site(preview)
        except SiteBuildError as exc:
            print(f"psychoed: {exc}", file=sys.stderr)
            return
        print(f"psychoed: rebuilt `{track_id}` with {site_engine.name}", file=sys.stderr)
        report = refresh_handouts(handouts)
        for batch in handouts:
            copy_handouts(batch.documents, batch.folder, preview / HANDOUTS_DIR)
        if report.rendered:
            print(f"psychoed: {len(report.rendered)} PDF handout(s) updated", file=sys.stderr)

    rebuild()
    server = engines[0] if engines else get_engine(engine or DEFAULT_ENGINE)
    print(f"psychoed: serving `{track_id}` at http://{HOST}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve(preview, rebuild, [curriculum_dir.resolve(), theme.theme_dir, theme.base_config],
                          host=HOST, port=port)
    finally:
        shutil.rmtree(preview, ignore_errors=True)

"""One preview session: the track's pages rebuilt in this process on every save, its PDFs after.

A save sends the full check to a warm child process (`checker.py`) and, meanwhile, loads the
curriculum, tailors the track, writes the track's engine project and builds the pages that
changed into the served folder; the browser reloads as soon as they are written. When the
check passes, the PDFs whose content changed render in the background (`pdfs.py`) and the
browser reloads again when they land. A save that fails the check, or that the engine
refuses, puts the error page in front of every page (`server.py`), and keeps it there until a
save passes the check. Everything stays loaded between saves: modules, rule data, templates.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Sequence

from ..build import choose_tracks
from ..diagnostics import CurriculumError, errors
from ..engines import Engine, EngineUnavailable, Publishing, SiteBuildError, get_engine
from ..errors import RunError, UsageError, environment_problem
from ..handout_names import named_batches
from ..handouts import HandoutBatch, copy_handouts
from ..load import load_curriculum
from ..lock import holding
from ..pdf_process import PrintJob
from ..postbuild import sanitize_page, sanitize_site
from ..publish import BUILD_MARKER, mark
from ..render import HANDOUTS_DIR
from ..shipped import ThemeFiles
from ..sites import write_track_project
from ..tailor import tailor
from .checker import BackgroundCheck, CheckAnswer
from .error_page import diagnostics_page, messages_page
from .pdfs import BackgroundPdfs, PdfOutcome
from .search_index import merge_index, read_index

# A page written by this build has a modification time at or after its start, give or take the
# file system's clock granularity.
_CLOCK_SLACK_SECONDS = 0.05
_PDF_DELAY_SECONDS = 0.5  # after the pages: time for the browser's reload, and for a save that follows


def say(message: str) -> None:
    print(f"psychoed: {message}", file=sys.stderr, flush=True)


class PreviewSession:
    """Builds the preview of `track_id` into `site_dir`; `show_failure(page or None)` puts the
    error page up or takes it down, `reload_browsers()` reloads the open pages."""

    def __init__(self, curriculum_dir: Path, track_id: str, build_dir: Path, site_dir: Path, scratch: Path, *,
                 engine: str | None, show_failure: Callable[[bytes | None], None],
                 reload_browsers: Callable[[], None]):
        self.curriculum_dir = curriculum_dir
        self.track_id = track_id
        self.build_dir = build_dir
        self.site_dir = site_dir
        self.engine_name = engine
        self.theme = ThemeFiles.for_project(curriculum_dir.resolve().parent)
        self._show_failure = show_failure
        self._reload_browsers = reload_browsers
        self._site_lock = threading.Lock()  # page builds and PDF arrivals write the same folder
        # The latest save's results so far: the error page each calls for, and whether each is in.
        self._state_lock = threading.Lock()
        self._check_failure: bytes | None = None
        self._pages_failure: bytes | None = None
        self._check_done = self._pages_done = False
        self._failing = False  # the error page is up
        self._job: PrintJob | None = None
        self.checker = BackgroundCheck(curriculum_dir, track_id, self._answered)
        self.pdfs = BackgroundPdfs(build_dir, scratch, self._pdfs_done)
        self._pdf_timer: threading.Timer | None = None
        self._pdf_start_lock = threading.Lock()
        self._saves = 0  # a PDF start planned for an earlier save does not happen
        self._served_batches: list[HandoutBatch] = []  # the PDFs the served pages link to
        self._steps: list[tuple[str, float]] = []  # the last build's steps and their seconds
        self._built_state: str | None = None  # what the served pages were last built from

    def watched(self) -> list[Path]:
        return [self.curriculum_dir.resolve(), self.theme.theme_dir, self.theme.base_config]

    def rebuild(self) -> None:
        """One save: pages now, PDFs in the background. Never raises for the author's mistakes:
        the server would otherwise keep answering with the old pages and no word of why."""
        started = time.perf_counter()
        save = self._new_save()
        self.checker.ask(save)
        try:
            job = self._build_pages()
        except CurriculumError as exc:
            self._pages_failed(save, diagnostics_page("The curriculum has problems", exc.diagnostics,
                                                      track_id=self.track_id))
            return
        except SiteBuildError as exc:
            self._pages_failed(save, self._messages_failure(f"{exc.track_id}: the site engine refused the pages",
                                                            exc.messages))
            return
        except (RunError, UsageError, EngineUnavailable) as exc:
            self._pages_failed(save, self._messages_failure("The preview could not be built", [str(exc)]))
            return
        except OSError as exc:
            self._pages_failed(save, self._messages_failure("The preview could not be built",
                                                            [environment_problem(exc) or str(exc)]))
            return
        steps = ", ".join(f"{name} {seconds:.2f}" for name, seconds in self._steps)
        say(f"pages of `{self.track_id}` rebuilt in {time.perf_counter() - started:.2f} s ({steps})")
        with self._state_lock:
            if save == self._saves:
                self._pages_done, self._job = True, job
        self._settle(save, reload=False)  # returning from here reloads the browsers

    def _new_save(self) -> int:
        """Forget the previous save's results and stop its PDFs; returns the new save's number."""
        self._stop_pdfs()
        with self._state_lock:
            self._check_failure = self._pages_failure = None
            self._check_done = self._pages_done = False
            self._job = None
            return self._saves

    def _pages_failed(self, save: int, page: bytes) -> None:
        with self._state_lock:
            if save == self._saves:
                self._pages_failure, self._pages_done = page, True
        self._settle(save, reload=False)

    def _answered(self, answer: CheckAnswer) -> None:
        """The check's answer for a save (on the checker's reader thread)."""
        if answer.save != self._saves:
            return  # a newer save is being checked
        for diagnostic in answer.diagnostics:
            print(diagnostic, file=sys.stderr)
        failure = None
        if not answer.ok:
            say(f"{len(errors(answer.diagnostics))} error(s); the browser shows them until a save fixes them")
            failure = diagnostics_page("The curriculum has problems", answer.diagnostics, track_id=self.track_id)
        with self._state_lock:
            if answer.save != self._saves:
                return
            self._check_failure, self._check_done = failure, True
        self._settle(answer.save, reload=True)

    def _settle(self, save: int, *, reload: bool) -> None:
        """Show what the save's results so far call for. The pages show before the check has
        answered, unless the error page is up: then it stays until the check passes."""
        with self._state_lock:
            if save != self._saves:
                return
            failure = self._check_failure or self._pages_failure
            changed = False
            if failure is not None:
                self._show_failure(failure)
                self._failing, changed = True, True
            elif self._pages_done and self._check_done:
                changed = self._failing
                if self._failing:
                    self._show_failure(None)
                    self._failing = False
                if self._job is not None:
                    self._plan_pdfs(self._job, save)
        if reload and changed:
            self._reload_browsers()

    def _build_pages(self) -> PrintJob:
        with self._site_lock, holding([self.build_dir], "psychoed serve"):
            mark(self.build_dir, BUILD_MARKER)
            self._steps = []
            clock = time.perf_counter()
            curriculum = load_curriculum(self.curriculum_dir)
            choose_tracks(curriculum, [self.track_id])
            view = tailor(curriculum, self.track_id)
            clock = self._step("load", clock)
            engine = get_engine(self.engine_name or curriculum.program.engine)
            project_dir = self.build_dir / self.track_id
            large_print = view.program.handouts.large_print
            batches = named_batches(view, project_dir, large_print=large_print)
            config = write_track_project(engine, view, project_dir, Path("site") / self.track_id, self.theme,
                                         batches, placeholders=True, publishing=Publishing(preview=True))
            clock = self._step("write", clock)
            self._build_site(engine, config)
            self._step(engine.name, clock)
            self._served_batches = batches
            return PrintJob(view, project_dir, large_print)

    def _step(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self._steps.append((name, now - since))
        return now

    def _build_site(self, engine: Engine, config: Path) -> None:
        """Only the pages whose text changed, while nothing else did (MkDocs' dirty build);
        otherwise the whole site."""
        state = self._site_state(engine, config)
        dirty = state == self._built_state and (self.site_dir / "index.html").is_file()
        index = read_index(self.site_dir) if dirty else None
        self._built_state = None  # until this build succeeds, the folder's state is unknown
        started = time.time()
        engine.build(config, self.site_dir, self.track_id, dirty=dirty)
        if dirty:
            merge_index(self.site_dir, index)
            for page in self.site_dir.rglob("*.html"):
                if page.stat().st_mtime >= started - _CLOCK_SLACK_SECONDS:
                    _sanitize_file(page)
        else:
            sanitize_site(self.site_dir)
        self._built_state = state

    def _site_state(self, engine: Engine, config: Path) -> str:
        """What every page depends on besides its own text: the engine, the config (navigation,
        names) and the theme."""
        digest = hashlib.sha256(f"{engine.name}\0".encode())
        digest.update(config.read_bytes())
        digest.update(_fingerprint(self.theme.theme_dir).encode())
        digest.update(_fingerprint(self.theme.base_config).encode())
        return digest.hexdigest()

    def _messages_failure(self, title: str, messages: Sequence[str]) -> bytes:
        for message in messages:
            say(f"error: {message}")
        return messages_page(title, messages, track_id=self.track_id)

    def _pdfs_done(self, outcome: PdfOutcome) -> None:
        if not outcome.ok:
            say(f"PDF handouts not rendered: {outcome.message}")
            return
        if not outcome.rendered:
            return  # every PDF came from the cache: the pages link to them already
        with self._site_lock:
            if not self.pdfs.current(outcome.generation):
                return  # a save came in meanwhile: its pages carry their own PDFs
            for batch in self._served_batches:
                copy_handouts(batch.documents, batch.folder, self.site_dir / HANDOUTS_DIR, placeholders=True)
        say(f"{outcome.rendered} PDF handout(s) rendered; reloading")
        self._reload_browsers()

    def _plan_pdfs(self, job: PrintJob, save: int) -> None:
        """Start the PDFs shortly: after the browser's reload, and not at all when a save follows."""
        self._pdf_timer = threading.Timer(_PDF_DELAY_SECONDS, self._start_pdfs, args=(job, save))
        self._pdf_timer.daemon = True
        self._pdf_timer.start()

    def _start_pdfs(self, job: PrintJob, save: int) -> None:
        with self._pdf_start_lock:
            if save == self._saves:
                self.pdfs.start(job)

    def _stop_pdfs(self) -> None:
        with self._pdf_start_lock:
            self._saves += 1
            if self._pdf_timer is not None:
                self._pdf_timer.cancel()
            self.pdfs.stop()

    def close(self) -> None:
        self._stop_pdfs()
        self.checker.close()


def _sanitize_file(page: Path) -> None:
    original = page.read_text(encoding="utf-8")
    cleaned = sanitize_page(original, page)
    if cleaned != original:
        page.write_text(cleaned, encoding="utf-8")


def _fingerprint(root: Path) -> str:
    """Name, size and modification time of `root` and every file under it."""
    digest = hashlib.sha256()
    for path in [root, *sorted(root.rglob("*"))]:
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()

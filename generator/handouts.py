"""Stage 3b: a `TrackView` → printable handouts: print HTML, then PDF with WeasyPrint.

The print HTML comes from `print_html.py` (templates in `templates/handouts/`), never from the
site's pages. Building it is pure and fast; turning it into PDF is the slow part, so each
document is built from pieces (covers, handouts, worksheets, facilitator sessions, the
handbook's contents) rendered once and cached by content hash, and assembled with pikepdf
(pieces.py, pdf_assembly.py) into a cache folder (`build/<track>/handouts/`): a document whose
pieces have not changed is not assembled again, and pieces that changed render in parallel,
one process per core.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Collection, Optional, Sequence

from .pdf_cache import checked_source
from .pieces import (FORMAT_VERSION, PDF_OPTIONS, HandoutBatch, HandoutDocument, HandoutKind, RenderReport,
                     refresh_documents, write_pdf)
from .progress import SILENT, Progress
from .print_html import HandbookPart, handbook_parts, handout_documents
from .tailor import TrackView
from .translations.translate import Translation

__all__ = ["FORMAT_VERSION", "PDF_OPTIONS", "HandbookPart", "HandoutBatch", "HandoutDocument", "HandoutKind",
           "RenderReport", "cache_folder", "copy_handouts", "handbook_parts", "handout_batch", "handout_documents",
           "refresh_handouts", "track_handouts", "write_pdf"]


def cache_folder(project_dir: Path) -> Path:
    """Kept between builds, beside the track's MkDocs project (which is rewritten every build)."""
    return project_dir / "handouts"


def handout_batch(view: TrackView, project_dir: Path, *, large_print: bool = False,
                  weeks: Optional[Collection[int]] = None, track_url: Optional[str] = None,
                  translation: Optional[Translation] = None) -> HandoutBatch:
    documents = handout_documents(view, large_print=large_print, weeks=weeks, track_url=track_url,
                                  translation=translation)
    return HandoutBatch(tuple(documents), cache_folder(project_dir), large_print, complete=weeks is None)


def track_handouts(view: TrackView, project_dir: Path, *, large_print: bool = False,
                   track_url: str | None = None, translation: Optional[Translation] = None) -> list[HandoutBatch]:
    """The track's standard PDFs, plus the large-print set when asked for; with `track_url`, the
    handouts carry QR codes of their pages."""
    standard = handout_batch(view, project_dir, track_url=track_url, translation=translation)
    if not large_print:
        return [standard]
    return [standard, handout_batch(view, project_dir, large_print=True, track_url=track_url, translation=translation)]


def refresh_handouts(batches: Sequence[HandoutBatch], workers: Optional[int] = None,
                     progress: Progress = SILENT) -> RenderReport:
    """Bring every batch's cache folder up to date: render the pieces that changed, in parallel,
    and assemble the documents that hold them, counting the work on `progress`."""
    return refresh_documents(batches, workers, progress)


def copy_handouts(documents: Sequence[HandoutDocument], cache: Path, target: Path, *,
                  placeholders: bool = False) -> list[Path]:
    """Put the documents' cached PDFs under `target`, each replaced in one step (a reader of
    `target` sees the old file or the new one, never half of one). With `placeholders`, a PDF
    not rendered yet becomes an empty file, so links to it still resolve (the live preview
    renders PDFs after the pages). Returns the files written."""
    written = []
    for document in documents:
        source, destination = cache / document.name, target / document.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(f".{destination.name}.partial")
        partial.unlink(missing_ok=True)
        if placeholders and not source.is_file():
            partial.touch()
        else:
            try:
                os.link(checked_source(source), partial)  # a hard link costs nothing; the cache replaces files, never edits them
            except OSError:
                shutil.copyfile(source, partial)
        os.replace(partial, destination)
        written.append(destination)
    return written

"""The names of a track's PDF handouts, without their print HTML.

A track's pages link to every handout, and the engine checks those links, so each page build
needs the names; the print HTML of ~70 documents takes seconds to make and is only needed to
render the PDFs, which happens beside the page builds (`psychoed build`) or after them (the
preview). The names follow `handouts.handout_documents`; a test holds the two lists equal.
"""

from __future__ import annotations

from pathlib import Path

from .handouts import HandoutBatch, HandoutDocument, cache_folder
from .print_forms import fillable_worksheet_file
from .render import HANDBOOK_FILE, LARGE_PRINT_DIR, facilitator_packet_file, packet_file, week_packets, worksheet_file
from .tailor import TrackView


def handout_names(view: TrackView, *, large_print: bool = False) -> list[str]:
    """Every PDF of the track, in the order `handout_documents` makes them."""
    names: list[str] = []
    for week in view.weeks:
        names += [packet_file(week.number, audience) for audience in week_packets(view, week)]
        names.append(facilitator_packet_file(week.number))
    names.append(HANDBOOK_FILE)
    worksheets = list(view.worksheets.values())
    names += [worksheet_file(w) for w in worksheets]
    if large_print:
        return [f"{LARGE_PRINT_DIR}/{name}" for name in names]
    return names + [fillable_worksheet_file(w) for w in worksheets]


def named_batches(view: TrackView, project_dir: Path, *, large_print: bool) -> list[HandoutBatch]:
    """The track's batches as `handouts.track_handouts` makes them, with names but no print HTML:
    enough to link the PDFs from the pages (as placeholders until they are rendered)."""

    def batch(large: bool) -> HandoutBatch:
        documents = tuple(HandoutDocument(name, "packet", name) for name in handout_names(view, large_print=large))
        return HandoutBatch(documents, cache_folder(project_dir), large)

    return [batch(False), batch(True)] if large_print else [batch(False)]

"""Content rules for references: the structured form, and references that no page will show."""

from __future__ import annotations

from typing import Any, Iterator

from .diagnostics import Diagnostic
from .load import Curriculum
from .model import Module

RULE = "references"


def reference_findings(curriculum: Curriculum) -> Iterator[Diagnostic]:
    """Plain-text references (warning: use the structured form) and structured references whose
    `tracks:` leave out every track the module is scheduled on (warning: shown nowhere)."""
    scheduled = _scheduled_tracks(curriculum)
    for module in curriculum.modules.values():
        source = curriculum.source("module", module.id)
        lists: list[tuple[tuple[Any, ...], list[Any], set[str]]] = [
            (("references",), module.references, scheduled.get(module.id, set()))]
        lists += [(("variants", track_id, "references"), variant.references, {track_id})
                  for track_id, variant in module.variants.items() if variant.references is not None]
        for at, references, tracks in lists:
            for i, reference in enumerate(references):
                if isinstance(reference, str):
                    yield source.diagnostic(
                        at + (i,), "reference written as plain text",
                        "use the structured form: author, title, publisher (if not the author), year, number, url",
                        severity="warning", rule=RULE)
                elif tracks and reference.tracks is not None and not tracks & set(reference.tracks):
                    yield source.diagnostic(
                        at + (i, "tracks"), f"reference “{reference.title}” is limited to "
                        f"{', '.join(reference.tracks)}, but this list is only shown on {', '.join(sorted(tracks))}",
                        "cite a source that fits this track, or fix `tracks:`", severity="warning", rule=RULE)


def _scheduled_tracks(curriculum: Curriculum) -> dict[str, set[str]]:
    """Module id → the tracks that schedule it and do not replace its references in a variant."""
    on: dict[str, set[str]] = {}
    for track in curriculum.tracks.values():
        for week in track.weeks:
            for session in week.sessions:
                module = curriculum.modules.get(session.module)
                if module is not None and not _variant_replaces_references(module, track.id):
                    on.setdefault(module.id, set()).add(track.id)
    return on


def _variant_replaces_references(module: Module, track_id: str) -> bool:
    variant = module.variants.get(track_id)
    return variant is not None and variant.references is not None




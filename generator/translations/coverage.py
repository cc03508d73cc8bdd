"""What `psychoed check` says about translations: stale and unstamped fields (warnings),
missing translations where the program allows no fallback, and unknown tracks (errors)."""

from __future__ import annotations

import difflib
from typing import Iterator

from ..diagnostics import Diagnostic
from ..load import Curriculum
from .fields import dotted, text_hash, value_at
from .overlays import Overlay
from .translate import published_items, required_fields

RULE = "translation-stale"


def translation_problems(curriculum: Curriculum) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for overlay in curriculum.overlays.values():
        found += staleness_problems(curriculum, overlay)
    for language in curriculum.program.translations:
        found += coverage_problems(curriculum, language)
    return found


def stamp_command(overlay: Overlay) -> str:
    return f"psychoed translations --stamp {overlay.file.path}"


def staleness_problems(curriculum: Curriculum, overlay: Overlay) -> Iterator[Diagnostic]:
    """A warning at each translated field whose source text changed since it was stamped (an
    error for crisis help), and for fields never stamped: one for the file when none is, else one
    at each such field."""
    if overlay.texts and not overlay.hashes:
        yield overlay.file.diagnostic((), f"this translation has no source hashes, so a change to the source text "
                                      f"cannot be noticed ({len(overlay.texts)} translated fields)",
                                      f"check it against {overlay.source.path}, then run `{stamp_command(overlay)}`",
                                      severity="warning", rule=RULE)
        return
    for path, _ in overlay.texts.items():
        source_text = value_at(overlay.source.data, path)
        stored = overlay.hashes.get(dotted(path))
        if not isinstance(source_text, str):
            continue
        source_at = f"{overlay.source.path}:{overlay.source.position(path).line}"
        if stored is None:
            yield overlay.file.diagnostic(path, f"`{dotted(path)}` has no source hash, so a change to the source "
                                          "text cannot be noticed",
                                          f"check it against {source_at}, then run `{stamp_command(overlay)}`",
                                          severity="warning", rule=RULE)
        elif stored != text_hash(source_text):
            # Stale crisis help could send a reader to a line the program no longer lists: an error.
            crisis = path[0] == "crisis"
            yield overlay.file.diagnostic(path, f"stale translation: the source text of `{dotted(path)}` "
                                          f"({source_at}) changed after this was translated"
                                          + (", and crisis help must say the same in every language" if crisis else ""),
                                          f"update the translation to match, then run `{stamp_command(overlay)}`",
                                          severity="error" if crisis else "warning", rule=RULE)


def coverage_problems(curriculum: Curriculum, language: str) -> Iterator[Diagnostic]:
    settings = curriculum.program.translations[language]
    program_source = curriculum.source("program", "program")
    if language == curriculum.program.language:
        yield program_source.diagnostic(("translations", language), f"a translation into `{language}`, the language "
                                        "the curriculum is written in", "remove this entry, or change `language:`",
                                        key=True)
        return
    for index, track_id in enumerate(settings.tracks):
        if track_id not in curriculum.tracks:
            close = difflib.get_close_matches(track_id, list(curriculum.tracks), n=1)
            yield program_source.diagnostic(("translations", language, "tracks", index), f"unknown track `{track_id}`",
                                            f"did you mean `{close[0]}`?" if close else
                                            "tracks: " + ", ".join(curriculum.tracks))
    if settings.fallback:
        return
    allow = f"or set `fallback: true` under `translations: {language}:` in program.yml to show the source text"
    for item in published_items(curriculum, settings.tracks):
        source = curriculum.source(*item)
        overlay = curriculum.overlays.get((language, *item))
        if overlay is None:
            name = source.path.rsplit("/", 1)[-1]
            overlay_name = name.rsplit(".", 1)[0] + f".{language}.yml"
            yield Diagnostic(source.path, 1, 1, f"no `{language}` translation of this file, which the `{language}` "
                             f"edition of {_tracks(settings.tracks)} shows",
                             f"write {overlay_name} beside it, {allow}")
            continue
        for path, _ in required_fields(curriculum, item, settings.tracks):
            if path not in overlay.texts:
                where = source.position(path)
                yield overlay.file.diagnostic(path, f"`{dotted(path)}` is not translated",
                                              f"translate {source.path}:{where.line}, {allow}")


def _tracks(track_ids: list[str]) -> str:
    return ", ".join(f"`{t}`" for t in track_ids)

"""One site per language: the program's language editions, what each publishes, and where.

The source language's edition is published at OUT/<track>/ as before; each translation at
OUT/<lang>/<track>/ with its own hub at OUT/<lang>/index.html, so a language is one folder a
host can serve, and English addresses do not change when a translation is added.

The translated *content* comes from the overlays (`<stem>.<lang>.yml`, see
/work/briefs/overlay-format.md); `curriculum_in` is the one place it is applied. Here the
program gets its language and the crisis help in that language (`crisis:` of program.<lang>.yml).
"""

from __future__ import annotations

import dataclasses
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urljoin

from pydantic import ValidationError

from .diagnostics import CurriculumError
from .load import Curriculum, validation_diagnostics
from .locales import catalogue
from .model import Program
from .render import HubEdition, render_hub
from .source import SourceFile, YamlProblem, read_yaml
from .tailor import TrackView, tailor

# What a program.<lang>.yml may say about one crisis resource: the words a reader sees.
CRISIS_TEXT_KEYS = ("name", "contact", "how", "sms_body")


@dataclass(frozen=True)
class Edition:
    """The program in one language: its curriculum (program in that language) and its tracks."""

    language: str
    folder: str  # under OUT/: "" for the source language, else the language code
    curriculum: Curriculum
    track_ids: tuple[str, ...]

    @property
    def is_source(self) -> bool:
        return self.folder == ""

    def under(self, folder: Path) -> Path:
        """Where this edition's tracks sit under OUT/ (or BUILD/, or the staging folder)."""
        return folder / self.folder if self.folder else folder

    def name(self) -> str:
        return catalogue(self.language).text("language.name")


def editions(curriculum: Curriculum) -> list[Edition]:
    """The source edition first, then one per entry of `program.translations`."""
    found = [Edition(curriculum.program.language, "", curriculum, tuple(curriculum.tracks))]
    for language, translation in curriculum.program.translations.items():
        translated = curriculum_in(language, dataclasses.replace(curriculum, program=program_in(language, curriculum)))
        found.append(Edition(language, language, translated, tuple(t for t in translation.tracks
                                                                   if t in curriculum.tracks)))
    return found


def curriculum_in(language: str, curriculum: Curriculum) -> Curriculum:
    """The curriculum's text in `language`. The content translation (overlays) is applied here;
    until it lands, the text stays in the source language and only Psychoed's words change."""
    return curriculum


def program_in(language: str, curriculum: Curriculum) -> Program:
    """The program as published in `language`: that language, and its crisis resources with the
    names and ways to reach them that program.<lang>.yml gives under `crisis:`."""
    program = curriculum.program
    source = _program_translation(curriculum.root, language)
    crisis = [resource.model_dump() for resource in program.crisis]
    if source is not None:
        translated = (source.data or {}).get("crisis") if isinstance(source.data, dict) else None
        if translated is not None:
            if not isinstance(translated, list) or len(translated) != len(crisis):
                raise CurriculumError([source.diagnostic(
                    ("crisis",), f"`crisis` should list {len(crisis)} entries, one per entry of program.yml, in order",
                    "write `{}` for an entry with nothing to translate")])
            for i, (entry, words) in enumerate(zip(crisis, translated)):
                entry.update(_crisis_words(source, i, words))
    data = {**program.model_dump(), "language": language, "crisis": crisis}
    try:
        return Program.model_validate(data)
    except ValidationError as exc:
        shown = source or SourceFile(f"program.{language}.yml")
        raise CurriculumError(list(validation_diagnostics(shown, Program, exc))) from None


def _crisis_words(source: SourceFile, index: int, words: Any) -> dict[str, str]:
    if not isinstance(words, dict):
        raise CurriculumError([source.diagnostic(("crisis", index), "a crisis entry should be a mapping",
                                                 f"give only {', '.join(CRISIS_TEXT_KEYS)}")])
    unknown = [key for key in words if key not in CRISIS_TEXT_KEYS]
    if unknown:
        raise CurriculumError([source.diagnostic(("crisis", index, unknown[0]), f"`{unknown[0]}` is not text to "
                                                 "translate", f"a translation gives only {', '.join(CRISIS_TEXT_KEYS)}",
                                                 key=True)])
    return {key: str(value) for key, value in words.items()}


def _program_translation(root: Path, language: str) -> Optional[SourceFile]:
    file = root / f"program.{language}.yml"
    if not file.is_file():
        return None
    try:
        return read_yaml(file, file.relative_to(root.parent).as_posix())
    except YamlProblem as exc:
        raise CurriculumError([exc.diagnostic]) from None


def edition_views(edition: Edition, source_views: dict[str, TrackView], track_ids: list[str]) -> dict[str, TrackView]:
    """The named tracks of an edition, tailored in its language (the source edition's are the
    views the check already made)."""
    chosen = [t for t in track_ids if t in edition.track_ids]
    if edition.is_source:
        return {t: source_views[t] for t in chosen}
    return {t: tailor(edition.curriculum, t) for t in chosen}


def alternates(track_id: str, current: Edition, all_editions: list[Edition]) -> tuple[tuple[str, str, str], ...]:
    """(name, link, lang) of the track in every language it is published in, for Material's language
    selector; links are relative to the current edition's track folder. One language: none."""
    having = [e for e in all_editions if track_id in e.track_ids]
    if len(having) < 2:
        return ()
    here = posixpath.join(current.folder, track_id)
    return tuple((e.name(), posixpath.relpath(posixpath.join(e.folder, track_id), here) + "/", e.language)
                 for e in having)


def hub_link(from_edition: Edition, to_edition: Edition) -> str:
    """The path from one edition's hub (OUT/ or OUT/<lang>/) to another's folder, ending in "/" or empty."""
    if from_edition.folder == to_edition.folder:
        return ""
    return posixpath.relpath(to_edition.folder or ".", from_edition.folder or ".") + "/"


def edition_site_url(site_url: Optional[str], edition: Edition) -> Optional[str]:
    """The address the edition's folder is published at, when the site's address is known."""
    if not site_url or edition.is_source:
        return site_url
    return urljoin(site_url.rstrip("/") + "/", f"{edition.folder}/")


def write_hub(edition: Edition, languages: list[Edition], folder: Path, site_path: str) -> None:
    """The edition's choose-your-group page (and, for the source language, the host's 404 page)."""
    program = edition.curriculum.program
    tracks = [edition.curriculum.tracks[t] for t in edition.track_ids]
    others = tuple(HubEdition(catalogue(other.language), hub_link(edition, other),
                              tuple(other.curriculum.tracks[t] for t in other.track_ids))
                   for other in languages if other is not edition and other.track_ids)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(render_hub(program, tracks, other_editions=others), encoding="utf-8")
    if edition.is_source:
        (folder / "404.html").write_text(render_hub(program, tracks, not_found_root=site_path, other_editions=others),
                                         encoding="utf-8")

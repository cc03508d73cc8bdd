"""One site per language: the program's language editions, what each publishes, and where.

The source language's edition is published at OUT/<track>/ as before; each translation at
OUT/<lang>/<track>/ with its own hub at OUT/<lang>/index.html, so a language is one folder a
host can serve, and English addresses do not change when a translation is added.

The translated text comes from the overlays (`<stem>.<lang>.yml`, translations/translate.py),
program.<lang>.yml's `crisis:` part included: the crisis help in that language, with the word a
line asks for by text (`sms_body`, e.g. AYUDA).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import urljoin

from .load import Curriculum
from .locales import catalogue
from .render import HubEdition, render_hub
from .tailor import TrackView, tailor
from .translations.translate import Translation, translate

@dataclass(frozen=True)
class Edition:
    """The program in one language: its curriculum (program in that language) and its tracks."""

    language: str
    folder: str  # under OUT/: "" for the source language, else the language code
    curriculum: Curriculum
    track_ids: tuple[str, ...]
    translation: Optional[Translation] = None  # None for the source language; its notes go on the pages

    @property
    def is_source(self) -> bool:
        return self.folder == ""

    def under(self, folder: Path) -> Path:
        """Where this edition's tracks sit under OUT/ (or BUILD/, or the staging folder)."""
        return folder / self.folder if self.folder else folder

    def site_name(self, track_id: str) -> str:
        """The track's folder under OUT/ in this edition: "addiction", "es/addiction"."""
        return posixpath.join(self.folder, track_id)

    def name(self) -> str:
        return catalogue(self.language).text("language.name")


def editions(curriculum: Curriculum) -> list[Edition]:
    """The source edition first, then one per entry of `program.translations`."""
    found = [Edition(curriculum.program.language, "", curriculum, tuple(curriculum.tracks))]
    for language, settings in curriculum.program.translations.items():
        translation = translate(curriculum, language)
        found.append(Edition(language, language, translation.curriculum,
                             tuple(t for t in settings.tracks if t in curriculum.tracks), translation))
    return found


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

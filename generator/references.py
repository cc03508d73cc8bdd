"""References as readers see them: one rendering for every page and handout, and only the
ones meant for the track being built."""

from __future__ import annotations

from typing import Union

from .model import Reference

ReferenceItem = Union[str, Reference]


def reference_text(reference: ReferenceItem) -> str:
    """Markdown: "Author. *Title*. Publisher, Year. Number. <URL>" (publisher left out when it is the
    author). A plain-text reference is shown as written."""
    if isinstance(reference, str):
        return reference
    return _formatted(reference, f"*{_no_emphasis(reference.title)}*", f"<{reference.url}>")


def reference_plain(reference: ReferenceItem) -> str:
    """The same words without Markdown, for print."""
    if isinstance(reference, str):
        return reference
    return _formatted(reference, reference.title, reference.url)


def _formatted(reference: Reference, title: str, url: str) -> str:
    year = str(reference.year) if reference.year else "n.d."  # an undated web page: "no date"
    published = f"{reference.publisher}, {year}" if _shows_publisher(reference) else year
    parts = [reference.author, title, published, *([reference.number] if reference.number else [])]
    return " ".join(_sentence(part) for part in parts) + " " + url


def for_track(references: list[ReferenceItem], track_id: str) -> list[ReferenceItem]:
    return [r for r in references if isinstance(r, str) or r.shown_on(track_id)]


def _shows_publisher(reference: Reference) -> bool:
    return bool(reference.publisher) and reference.publisher.strip().casefold() != reference.author.strip().casefold()


def _sentence(part: str) -> str:
    part = part.strip()
    closed = part.rstrip("*")
    return part if closed.endswith((".", "?", "!")) else part + "."


def _no_emphasis(title: str) -> str:
    return title.replace("*", "").strip()

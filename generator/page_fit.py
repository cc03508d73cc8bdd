"""No wasted pages: find nearly empty pages after layout, and tighten the part that made them.

A page is *nearly empty* when it holds fewer than `FEW_WORDS` words of body text and what
is on it (text, write-in lines, table cells, boxes) ends within the top `LITTLE_HEIGHT` of
the text area. That is what a facilitator sees as wasted paper: a page holding only
"Practice this week", one prompt and its lines, or one row of a table. A normal page of
prose holds 250 to 350 words; a worksheet page has labels and lines down most of it, so it
is never nearly empty. Psychoed prints no page meant to stay blank (no notes pages), so
there is no exception for write-in pages by design.

Each printed part (a handout, a worksheet, a cover, a facilitator session, the handbook's
contents) is an element with class `part`, `cover` or `toc` and an id. When a part's last page
is nearly empty, or a cover runs past the first page, the document is laid out again with that
part marked `fit` (then `fit-more`, then `fit-most`): tighter spacing and shorter write-in lines
(see print.css.j2), never smaller than 12 pt body type. Parts that fit are left exactly as they
were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

FEW_WORDS = 40
LITTLE_HEIGHT = 1 / 3
FIT_CLASSES = ("fit", "fit fit-more", "fit fit-more fit-most")
COVER = "cover"  # the id of a document's cover, which must fit its first page

_PART = re.compile(r'<(?:article|section|div|nav) class="(part|cover|toc)\b([^"]*)" id="([^"]+)"')


@dataclass(frozen=True)
class PageFill:
    words: int  # body text, without the running header and footer
    used: float  # share of the text area's height from its top to the lowest thing on the page

    @property
    def nearly_empty(self) -> bool:
        return self.words < FEW_WORDS and self.used < LITTLE_HEIGHT


def fitted_document(html: str, options: dict[str, Any], **html_options: Any) -> Any:
    """The laid-out WeasyPrint document of `html`, with parts that would leave a nearly empty
    page tightened (up to three steps). `options` go to rendering, `html_options` (such as a URL
    fetcher) to WeasyPrint's HTML."""
    from weasyprint import HTML  # slow to import; only PDF work needs it

    document = HTML(string=html, **html_options).render(**options)
    for fit_class in FIT_CLASSES:
        wasteful = wasteful_parts(document, part_ids(html))
        if not wasteful:
            break
        html = mark_parts(html, wasteful, fit_class)
        document = HTML(string=html, **html_options).render(**options)
    return document


def part_ids(html: str) -> list[str]:
    return [match.group(3) for match in _PART.finditer(html)]


def mark_parts(html: str, ids: set[str], fit_class: str) -> str:
    def mark(match: re.Match[str]) -> str:
        kind, rest, part_id = match.groups()
        if part_id not in ids:
            return match.group(0)
        rest = re.sub(r"\s*\bfit(-more|-most)?\b", "", rest)
        return match.group(0).replace(f'class="{kind}{match.group(2)}"', f'class="{kind}{rest} {fit_class}"')

    return _PART.sub(mark, html)


def wasteful_parts(document: Any, ids: list[str]) -> set[str]:
    """The parts that leave a nearly empty page: the part on top of that page (a part's id is
    an anchor on each page it is on), or else the part running since an earlier page."""
    wasteful: set[str] = set()
    running: str | None = None
    for index, page in enumerate(document.pages):
        on_page = [part for part in ids if part in page.anchors]
        on_top = on_page[0] if on_page else running
        if index > 0 and on_top is not None and (on_top == COVER or page_fill(page).nearly_empty):
            wasteful.add(on_top)  # a cover that runs onto a second page is wasted paper too
        if on_page:
            running = on_page[-1]
    return wasteful


def page_fill(page: Any) -> PageFill:
    """How much of a laid-out page's text area is used, and how many words it holds."""
    page_box = page._page_box
    top = _content_top(page_box)
    height = page_box.height
    words = 0
    lowest = top
    for box in _flow_leaves(page_box):
        if type(box).__name__ == "TextBox":
            words += len(box.text.split())
        bottom = box.position_y + box.margin_height() - box.margin_bottom
        if box.margin_height() > 0:
            lowest = max(lowest, bottom)
    return PageFill(words, (lowest - top) / height if height else 0.0)


def _content_top(page_box: Any) -> float:
    return page_box.content_box_y()


def _flow_leaves(page_box: Any) -> Iterator[Any]:
    """Boxes without children in the page's main flow (not the page margins): text, images,
    empty blocks such as write-in lines, table cells."""
    for child in page_box.children:
        if type(child).__name__ == "MarginBox":
            continue
        yield from _leaves(child)


def _leaves(box: Any) -> Iterator[Any]:
    children = getattr(box, "children", None)
    if not children:
        yield box
        return
    for child in children:
        yield from _leaves(child)

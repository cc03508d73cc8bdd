"""How full each page of a PDF is, read back with pypdf: the test side of generator/page_fit.py.

Body text is text larger than the page's smallest (the running header and footer); the text
area runs from below the header to above the footer. Drawn rectangles and lines (write-in
lines, table cells and borders, boxes) count as content, as the layout-time check counts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdf

FEW_WORDS = 40
LITTLE_HEIGHT = 1 / 3


@dataclass(frozen=True)
class PageFill:
    words: int
    used: float  # share of the text area from its top to the lowest content

    @property
    def nearly_empty(self) -> bool:
        return self.words < FEW_WORDS and self.used < LITTLE_HEIGHT


def page_fills(path: Path) -> list[PageFill]:
    return [fill_of(read_page(page)) for page in pypdf.PdfReader(path).pages]


@dataclass(frozen=True)
class PageRead:
    """One pass of pypdf over a page: its text, its text runs and what is drawn on it."""

    text: str  # as `extract_text` gives it
    runs: list[tuple[str, float, float]]  # each run that is not blank: text, baseline y, size in points
    rects: list[tuple[float, float]]  # bottom and top y of each rectangle or line drawn
    height: float


def read_page(page: pypdf.PageObject) -> PageRead:
    runs: list[tuple[str, float, float]] = []
    rects: list[tuple[float, float]] = []

    def visit_text(text, cm, tm, font, size):
        if text.strip():
            matrix = pypdf.mult(tm, cm)
            runs.append((text, matrix[5], abs(size * matrix[0])))

    def visit_op(op, args, cm, tm):
        if op == b"re" and len(args) == 4:
            ys = [cm[1] * float(args[0]) + cm[3] * (float(args[1]) + dy) + cm[5] for dy in (0, float(args[3]))]
            rects.append((min(ys), max(ys)))
        elif op in (b"m", b"l") and len(args) == 2:  # table borders are drawn as lines
            y = cm[1] * float(args[0]) + cm[3] * float(args[1]) + cm[5]
            rects.append((y, y))

    text = page.extract_text(visitor_text=visit_text, visitor_operand_before=visit_op)
    return PageRead(text, runs, rects, float(page.mediabox.height))


def fill_of(read: PageRead) -> PageFill:
    texts, rects, height = read.runs, read.rects, read.height
    if not texts:
        return PageFill(0, 0.0)
    small = min(size for _, _, size in texts)
    margin_text = [(y, size) for _, y, size in texts if size <= small + 0.01]
    header = min([y for y, _ in margin_text if y > height / 2], default=height) - 8
    footer = max([y + size for y, size in margin_text if y < height / 2], default=0.0) + 14
    body = [(text, y) for text, y, size in texts if size > small + 0.01 and footer < y < header]
    content = [y for _, y in body] + [bottom for bottom, top in rects if footer < bottom and top < header]
    words = len(" ".join(text for text, _ in body).split())
    lowest = min(content, default=header)
    return PageFill(words, (header - lowest) / (header - footer))

"""How full each page of a PDF is, read back with PDFium: the test side of generator/page_fit.py.

Body text is text larger than the page's smallest (the running header and footer); the text
area runs from below the header to above the footer. Drawn rectangles and lines (write-in
lines, table cells and borders, boxes) count as content, as the layout-time check counts them.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

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
    return [fill_of(read) for read in read_pages(path)]


@dataclass(frozen=True)
class PageRead:
    """One pass over a page: its text, its text runs and what is drawn on it."""

    text: str  # the page's text, in reading order
    runs: list[tuple[str, float, float]]  # each run that is not blank: text, baseline y, size in points
    rects: list[tuple[float, float]]  # bottom and top y of each path drawn (rectangle, line, box)
    height: float


def read_pages(path: Path) -> list[PageRead]:
    """Every page of the PDF, read with PDFium (pypdfium2), ten times faster than pypdf. On every
    page of the anxiety track's PDFs both gave the same fills and the same words when this reader
    replaced pypdf's; test_print_layout checks it on a PDF made for it."""
    document = pdfium.PdfDocument(path)
    try:
        return [_read(page) for page in document]
    finally:
        document.close()


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _then(inner: Matrix, outer: Matrix) -> Matrix:
    """`inner` applied first, then `outer` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _read(page: pdfium.PdfPage) -> PageRead:
    textpage = page.get_textpage()
    runs: list[tuple[str, float, float]] = []
    rects: list[tuple[float, float]] = []
    forms: list[Matrix] = []  # the placement of each form XObject we are inside (a stamp is one)
    for item in page.get_objects():
        del forms[item.level:]
        outer = forms[-1] if forms else _IDENTITY
        if item.type == raw.FPDF_PAGEOBJ_FORM:
            forms.append(_then(item.get_matrix().get(), outer))
        elif item.type == raw.FPDF_PAGEOBJ_TEXT:
            text = _object_text(item, textpage)
            if text.strip():
                matrix = _then(item.get_matrix().get(), outer)
                size = ctypes.c_float()
                raw.FPDFTextObj_GetFontSize(item.raw, ctypes.byref(size))
                runs.append((text, matrix[5], abs(size.value * matrix[0])))
        elif item.type == raw.FPDF_PAGEOBJ_PATH:
            left, bottom, right, top = item.get_bounds()
            ys = [_then((1, 0, 0, 1, x, y), outer)[5] for x, y in ((left, bottom), (right, top))]
            rects.append((min(ys), max(ys)))
    return PageRead(_hyphens(textpage.get_text_range()), runs, rects, page.get_height())


def _object_text(item: pdfium.PdfObject, textpage: pdfium.PdfTextPage) -> str:
    length = raw.FPDFTextObj_GetText(item.raw, textpage.raw, None, 0)  # in UTF-16 units, with the final NUL
    buffer = (ctypes.c_ushort * length)()
    raw.FPDFTextObj_GetText(item.raw, textpage.raw, buffer, length)
    return _hyphens(bytes(buffer).decode("utf-16-le").rstrip("\x00"))


def _hyphens(text: str) -> str:
    """PDFium gives a hyphen that ends a line as U+FFFE in a page's text and U+0002 in a run's."""
    return text.replace("\ufffe", "-").replace("\x02", "-")


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

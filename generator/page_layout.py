"""Page margins that hold: the running header and footer measured before the PDF is made.

WeasyPrint puts the running header and footer in the page margins and lets them overflow
the paper silently. So the margins are sized here from the text they must hold: words are
wrapped with the real advance widths of DejaVu Sans (the handouts' font), and each margin
is then that text's height plus `CLEAR_IN` of bare paper, which every office printer can
print inside. A footer (crisis lines and disclaimer) too tall for the page is an error at
program.yml, since that is where the text to shorten lives.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, replace
from functools import cache
from html import unescape
from typing import Iterable, Optional

from .locales import catalogue
from .diagnostics import Diagnostic
from .load import Curriculum
from .model import Program

POINTS_PER_INCH = 72
CLEAR_IN = 0.5  # bare paper kept at every edge, header and footer included
SIDE_MARGIN_IN = 0.75
MAX_FOOTER_SHARE = 1 / 3  # a footer taller than a third of the page leaves too little for the handout
PAPER_IN = {"letter": (8.5, 11.0), "a4": (8.27, 11.69)}

# Box sizes of the page header and footer; page.css.j2 and print.css.j2 use the same numbers.
MARGIN_LINE_HEIGHT = 1.3  # line height of the header and footer text
HEADER_GAP_PT = 6  # between the header's rule and the text below it
HEADER_PADDING_PT = 5  # between the header text and its rule
FOOTER_GAP_PT = 8  # between the text above and the footer's rule
FOOTER_PADDING_PT = 5  # between the footer's rule and its text
FOOTER_PARAGRAPH_GAP_PT = 2
SAFETY_PT = 3  # rounding in line breaking and glyph shaping
WIDTH_SLACK = 1.04  # measured widths are stretched a little: shaping and kerning may differ


@dataclass(frozen=True)
class PrintSize:
    """Type and spacing of one print variant. Body text never goes below 12 pt."""

    body_pt: float
    small_pt: float  # page header and footer
    line_in: float  # height of one write-in line


STANDARD = PrintSize(body_pt=12.5, small_pt=9.5, line_in=0.38)
LARGE_PRINT = PrintSize(body_pt=18, small_pt=12, line_in=0.5)


@dataclass(frozen=True)
class PageMargins:
    """The page margins of one document, in inches, and the share of width each margin box gets."""

    top_in: float
    bottom_in: float
    side_in: float
    header_left_share: float = 0.55
    footer_left_share: float = 0.8


class FooterTooTall(Exception):
    """The program's crisis lines and disclaimer need more footer than a page can give."""

    def __init__(self, lines: int, max_lines: int, small_pt: float):
        self.lines, self.max_lines, self.small_pt = lines, max_lines, small_pt
        super().__init__(f"the handout footer needs {lines} lines at {small_pt:g} pt; at most {max_lines} fit")


def page_margins(program: Program, size: PrintSize, *, header: str, running_titles: Iterable[str] = (),
                 large: bool = False) -> PageMargins:
    """Margins for a document whose page header is `header` (left) and one of `running_titles`
    (right, bold). Raises FooterTooTall when the footer cannot fit."""
    width_in, height_in = PAPER_IN[program.paper]
    text_width_pt = (width_in - 2 * SIDE_MARGIN_IN) * POINTS_PER_INCH
    shares = (0.5, 0.5) if large else (0.55, 0.45)
    footer_share = 0.76 if large else 0.8
    line_pt = size.small_pt * MARGIN_LINE_HEIGHT

    header_lines = max([wrapped_lines(header, size.small_pt, text_width_pt * shares[0])]
                       + [wrapped_lines(t, size.small_pt, text_width_pt * shares[1], bold=True) for t in running_titles])
    top_pt = CLEAR_IN * POINTS_PER_INCH + header_lines * line_pt + HEADER_PADDING_PT + HEADER_GAP_PT + SAFETY_PT

    lines = footer_lines(program, size.small_pt, text_width_pt * footer_share)
    bottom_pt = (CLEAR_IN * POINTS_PER_INCH + FOOTER_GAP_PT + FOOTER_PADDING_PT + lines * line_pt
                 + 2 * FOOTER_PARAGRAPH_GAP_PT + SAFETY_PT)
    if bottom_pt > height_in * POINTS_PER_INCH * MAX_FOOTER_SHARE:
        room = height_in * POINTS_PER_INCH * MAX_FOOTER_SHARE - (bottom_pt - lines * line_pt)
        raise FooterTooTall(lines, int(room // line_pt), size.small_pt)
    return PageMargins(round(top_pt / POINTS_PER_INCH, 3), round(bottom_pt / POINTS_PER_INCH, 3), SIDE_MARGIN_IN,
                       shares[0], footer_share)


def footer_lines(program: Program, small_pt: float, width_pt: float) -> int:
    """Lines the footer takes: the crisis paragraph and the disclaimer, as base.html.j2 sets them."""
    crisis = " · ".join(f"{r.name}: {r.contact}" for r in program.crisis)
    return (wrapped_lines(crisis, small_pt, width_pt, bold_prefix=catalogue(program.language).text("crisis.title") + " ")
            + wrapped_lines(program.disclaimer, small_pt, width_pt))


def footer_problems(program: Program, where: Diagnostic, *, large_print: bool) -> list[Diagnostic]:
    """An error, at `where` (program.yml's `crisis`), for each print variant whose footer cannot fit."""
    variants = {"standard": STANDARD} | ({"large-print": LARGE_PRINT} if large_print else {})
    problems = []
    for variant, size in variants.items():
        try:
            page_margins(program, size, header="", large=size is LARGE_PRINT)
        except FooterTooTall as problem:
            problems.append(replace(
                where, message=f"the crisis lines and disclaimer need {problem.lines} lines in the footer of the "
                f"{variant} handouts, but only {problem.max_lines} fit in a third of the page",
                hint="shorten a crisis `contact` or the `disclaimer`, or list fewer crisis lines"))
    return problems


def curriculum_footer_problems(curriculum: Curriculum, *, large_print: bool) -> list[Diagnostic]:
    """`footer_problems` of a loaded curriculum, placed at program.yml's `crisis`."""
    where = curriculum.source("program", "program").diagnostic(("crisis",), "", key=True)
    return footer_problems(curriculum.program, where, large_print=large_print)


# --- measuring text ----------------------------------------------------------------------------


def wrapped_lines(text: str, size_pt: float, width_pt: float, *, bold: bool = False, bold_prefix: str = "") -> int:
    """How many lines `text` takes when wrapped greedily at spaces into `width_pt`."""
    words = [(w, True) for w in bold_prefix.split()] + [(w, bold) for w in " ".join(text.split()).split()]
    if not words:
        return 0
    space = _advance(" ", size_pt, False)
    lines, used = 1, 0.0
    for word, is_bold in words:
        width = _advance(word, size_pt, is_bold)
        if used and used + space + width > width_pt:
            lines += 1
            used = width
        else:
            used += (space if used else 0) + width
        while used > width_pt:  # a word longer than the line breaks anywhere
            lines += 1
            used -= width_pt
    return lines


def _advance(text: str, size_pt: float, bold: bool) -> float:
    widths = _glyph_widths(bold)
    if widths is None:
        return len(text) * size_pt * 0.62 * WIDTH_SLACK  # no font file: DejaVu's widest common letters
    units_per_em, table, fallback = widths
    return sum(table.get(ord(c), fallback) for c in text) * size_pt / units_per_em * WIDTH_SLACK


@cache
def _glyph_widths(bold: bool) -> Optional[tuple[int, dict[int, int], int]]:
    """DejaVu Sans's advance width of each character, from the font file fontconfig finds."""
    try:
        from fontTools.ttLib import TTFont  # installed with WeasyPrint

        pattern = "DejaVu Sans:bold" if bold else "DejaVu Sans"
        path = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        font = TTFont(path, lazy=True)
        metrics = font["hmtx"].metrics
        cmap = font.getBestCmap()
        table = {code: metrics[glyph][0] for code, glyph in cmap.items() if glyph in metrics}
        return font["head"].unitsPerEm, table, max(table.values())
    except (ImportError, OSError, subprocess.SubprocessError, KeyError, ValueError):
        return None


def layout_constants() -> dict[str, float]:
    """The box sizes above, for the print CSS."""
    return {"line_height": MARGIN_LINE_HEIGHT, "header_gap_pt": HEADER_GAP_PT, "header_padding_pt": HEADER_PADDING_PT,
            "footer_gap_pt": FOOTER_GAP_PT, "footer_padding_pt": FOOTER_PADDING_PT,
            "footer_paragraph_gap_pt": FOOTER_PARAGRAPH_GAP_PT}


_RUNNING = re.compile(r'data-running="([^"]*)"')


def running_titles(html: str) -> list[str]:
    """The titles a document shows at the top right of its pages (its `data-running` attributes)."""
    return [unescape(title) for title in dict.fromkeys(_RUNNING.findall(html))]

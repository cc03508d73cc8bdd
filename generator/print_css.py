"""The print CSS, parsed once per process rather than once per PDF.

Every printed document carries its CSS in two `<style>` elements: its page box (page.css.j2:
paper, margins, the running header that names the document) and the print CSS that every
document of its print variant shares (print.css.j2), marked `id="print-css"`. Parsing and
compiling that shared part was about a fifth of the time WeasyPrint took for a piece, and a
build renders a thousand pieces. `lift_shared_css` takes it out of the HTML and hands
WeasyPrint one parsed copy per process instead; the HTML itself stays whole, so its hash
still names everything the PDF is made from.

WeasyPrint applies a stylesheet given this way with *user* precedence, below the document's
own stylesheets: so every @page rule stays in page.css.j2, and print.css.j2 has no !important.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .print_safety import refusing_fetcher

SHARED_CSS_ID = "print-css"
_SHARED = re.compile(rf'<style id="{SHARED_CSS_ID}">(.*?)</style>\n?', re.S)


def shared_css_element(css: str) -> str:
    return f'<style id="{SHARED_CSS_ID}">\n{css}</style>\n'


def lift_shared_css(html: str) -> tuple[str, list[Any]]:
    """`html` without its shared print CSS, and that CSS parsed (from this process's cache) as
    the `stylesheets` to render it with. HTML without the marked element comes back as it was."""
    head_end = html.find("</head>")
    match = _SHARED.search(html, 0, head_end if head_end >= 0 else len(html))
    if match is None:
        return html, []
    return html[:match.start()] + html[match.end():], [_parsed(match.group(1))]


@lru_cache(maxsize=8)  # a few print variants and languages per build
def _parsed(css: str) -> Any:
    from weasyprint import CSS  # slow to import; only PDF work needs it

    return CSS(string=css, url_fetcher=refusing_fetcher())

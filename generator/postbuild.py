"""After a track's site is built: every page's content area passes the sanitizer's allowlist.

Why a pass over the built HTML, and not a hook inside the site engine: it works the same for
every engine (MkDocs + Material, Zensical, which runs no MkDocs plugins or hooks of ours), it sees
the HTML exactly as readers get it (after Markdown, its extensions and the theme), so no Markdown
route — attribute lists, reference-style links, entities in link targets — can get around it,
and it costs one fast pass over files that are written anyway.

Only the content area is cleaned: the rest of the page is the theme's, whose values are escaped
where they are written (the generated config, `site.py`).
"""

from __future__ import annotations

import re
from pathlib import Path

from .sanitize import clean_page_html

# mkdocs-material (and Zensical, which shares its templates) put a page's content in this element.
_CONTENT_START = re.compile(r"<article\b[^>]*\bclass=\"[^\"]*\bmd-content__inner\b[^\"]*\"[^>]*>")
_CONTENT_END = "</article>"


class ContentAreaMissing(Exception):
    """A built page has no content area where the theme puts one: the theme changed."""


def sanitize_site(site_dir: Path) -> int:
    """Clean the content area of every HTML page under `site_dir`; return how many pages changed."""
    changed = 0
    for page in sorted(site_dir.rglob("*.html")):
        original = page.read_text(encoding="utf-8")
        cleaned = sanitize_page(original, page)
        if cleaned != original:
            page.write_text(cleaned, encoding="utf-8")
            changed += 1
    return changed


def sanitize_page(page_html: str, page: Path) -> str:
    """`page_html` with its content area passed through the allowlist."""
    start = _CONTENT_START.search(page_html)
    # The last closing tag: the area is never cut short by one written inside it.
    end = page_html.rfind(_CONTENT_END)
    if start is None or end < start.end():
        raise ContentAreaMissing(f"{page}: no content area (<article class=\"md-content__inner\">) found")
    content = page_html[start.end():end]
    return page_html[:start.end()] + clean_page_html(content) + page_html[end:]

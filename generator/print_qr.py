"""From paper to the page: a QR code and a short address of a handout's page on the site.

Shown only when the site's address is known (`psychoed build --site-url`, `make site
SITE_URL=…`). The code is inline SVG, so WeasyPrint fetches nothing, and its <title> becomes
the figure's text alternative in the tagged PDF.
"""

from __future__ import annotations

import io
import posixpath
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urljoin, urlsplit

import segno
from markupsafe import Markup


@dataclass(frozen=True)
class PageLink:
    url: str  # the page, e.g. https://example.org/iop/anxiety/worksheets/breathing-log/
    short: str  # the same without the scheme and trailing slash, to type by hand

    def qr_svg(self) -> Markup:
        """The address as a QR code (inline SVG, medium error correction: survives a photocopy)."""
        code = segno.make(self.url, error="m")
        out = io.BytesIO()
        code.save(out, kind="svg", xmldecl=False, svgns=True, nl=False, border=2, omitsize=True,
                  title=f"QR code that opens {self.short}", svgclass="qr", lineclass=None)
        return Markup(out.getvalue().decode("utf-8"))


def page_link(track_url: Optional[str], page_path: str) -> Optional[PageLink]:
    """The published address of a page of docs/ (`modules/x/y.md`), with directory URLs as the
    base mkdocs.yml sets them; None when the site's address is not known."""
    if not track_url:
        return None
    stem, _ = posixpath.splitext(page_path)
    directory = "" if stem in ("index", "") else (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"
    url = urljoin(track_url.rstrip("/") + "/", directory)
    parts = urlsplit(url)
    return PageLink(url, (parts.netloc + parts.path).rstrip("/"))

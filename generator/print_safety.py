"""What keeps the PDF renderer to the print HTML it is given: no fetching, no CSS break-outs.

The print HTML needs nothing from outside itself: its CSS is inline, its fonts are the system's
(fontconfig, not URLs) and its only links point inside the document. So WeasyPrint gets a URL
fetcher that refuses every URL — network, `file:` and `data:` alike — and curriculum values
written into CSS are escaped so that no character can end the string, the rule or the
`<style>` element around it.
"""

from __future__ import annotations

from typing import Any, NoReturn


class FetchRefused(ValueError):
    """The print HTML asked for a URL; handouts never load anything."""


def refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches nothing. WeasyPrint then leaves the resource out
    (an image is not drawn, a stylesheet not applied) and goes on with the document."""
    from weasyprint.urls import URLFetcher  # imported here: WeasyPrint is slow to import

    class RefusingFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> NoReturn:
            raise FetchRefused(f"handouts load no files or URLs: {url[:200]}")

    return RefusingFetcher()


def css_string(text: str) -> str:
    """`text` (whitespace collapsed) as a double-quoted CSS string literal.

    Everything but letters, digits, spaces and harmless punctuation is written as a CSS hex
    escape (`\\3c ` for `<`), so the literal holds no quote, backslash, newline or `<` that
    could end the string, the declaration or the `<style>` element it sits in.
    """
    flat = " ".join(str(text).split())
    return '"' + "".join(ch if _plain(ch) else f"\\{ord(ch):x} " for ch in flat) + '"'


def _plain(ch: str) -> bool:
    return ch.isalnum() or ch in " .,:;!?-_()·–—…"

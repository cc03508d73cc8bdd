"""What curriculum text may hold: Markdown without raw HTML, attribute lists or images, and links
only to web pages (https), email, phones and the site's own pages.

These checks run on the text as written (`psychoed check`) and again on the text after its
values are put in (`tailor`), since a value may bring `<` or a link with it. They are the author's
early warning; the sanitizer (`sanitize.py`) enforces the same rules on the rendered HTML.
"""

from __future__ import annotations

import html
import re
from typing import Iterator, Optional

from .sanitize import LINK_SCHEMES, safe_link
from .substitute import TextProblem

# Where links may go: web pages over https, email, phones, text messages. `module:` is the
# site's own link to a module page (rendered to a relative link before Markdown sees it).
ALLOWED_SCHEMES = LINK_SCHEMES | {"module"}
LINK_HINT = "write https://…, mailto:…, tel:…, sms:… or module:ID"

RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>")
# `{: .class }`, `{ #id }`, `{ key=value }` after a block or inline element: Markdown's attr_list.
ATTRIBUTE_LIST = re.compile(r"\{:|\{[ \t]*(?:[.#][A-Za-z_-]|[A-Za-z_][\w-]*[ \t]*=)[^{}\n]*\}")
IMAGE = re.compile(r"!\[[^\]\n]*\]\s*[(\[]")
INLINE_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
REFERENCE_TARGET = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S*?)>?(?:\s|$)", re.MULTILINE)
# The keys whose values reach the site's name, page titles and menus (see plain_value_problem).
PLAIN_KEYS = frozenset({"name", "organization", "title"})
_NOT_PLAIN = re.compile(r"[<>\"]|&(?=[#A-Za-z])")  # `&` then a letter or # may start a character reference


def markup_problems(text: str) -> Iterator[TextProblem]:
    """Each thing in `text` that curriculum text may not hold, with the piece that shows it."""
    tag = RAW_HTML.search(AUTOLINK.sub("", text))
    if tag:
        yield TextProblem(tag.group(0), f"raw HTML `{tag.group(0)[:40]}` is not allowed in curriculum text",
                          "write Markdown instead, e.g. **bold** or [a link](https://…)")
    attributes = ATTRIBUTE_LIST.search(text)
    if attributes:
        yield TextProblem(attributes.group(0), f"attribute list `{attributes.group(0)[:40]}` is not allowed "
                          "in curriculum text", "remove it: the site's styles and links need no attributes")
    image = IMAGE.search(text)
    if image:
        yield TextProblem(image.group(0), "images are not allowed in curriculum text",
                          "describe it in words, or link to the page that shows it: [a description](https://…)")
    for written, target in link_targets(text):
        if not allowed_target(target):
            yield TextProblem(written or target, "links may only point to web pages (https://…), email, phones "
                              f"or this site's pages, not `{_shorten(target)}`", LINK_HINT)
            break


def first_markup_problem(text: str) -> Optional[TextProblem]:
    return next(markup_problems(text), None)


def plain_value_problem(key: object, text: str) -> Optional[TextProblem]:
    """Names and titles (`name`, `organization`, `title`) become page titles, menu entries and
    the site's name, which the site's theme writes into HTML as they are: so they may not hold
    `<`, `>`, `"` or a character reference such as `&lt;` (which the theme decodes in places)."""
    if key not in PLAIN_KEYS:
        return None
    found = _NOT_PLAIN.search(text)
    if found is None:
        return None
    return TextProblem(found.group(0), f"`{found.group(0)}` is not allowed in a {key}",
                       "names and titles are plain words: leave out < > and \", and put a space after & (\"Q & A\")")


def link_targets(text: str) -> Iterator[tuple[str, str]]:
    """Every link target in Markdown text, as written and as a browser reads it (entities decoded)."""
    for pattern in (INLINE_TARGET, REFERENCE_TARGET, AUTOLINK):
        for match in pattern.finditer(text):
            yield match.group(1), html.unescape(match.group(1))


def allowed_target(url: str) -> bool:
    """Whether a link may point at `url`: an allowed scheme, or a relative address on this site."""
    return safe_link(html.unescape(url), ALLOWED_SCHEMES)


def _shorten(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"

"""The allowlist every piece of HTML made from curriculum text passes through (nh3, i.e. Ammonia).

Only the elements and attributes that Markdown and Psychoed's own page templates produce are
kept: no `on*` or `style` attributes, no script, style, image, frame, object or form-submitting
element. Link targets are kept only when they are web pages over https, email, phones, text
messages or relative addresses on the site itself; the check sees the value as the browser will
(entities decoded, control characters and spaces dropped), so `&#106;avascript:` is refused too.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Optional

import nh3

# What Markdown (with the extensions mkdocs.yml enables) writes for author text.
TEXT_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
})
# What Psychoed's page templates add around it: worksheet forms and their controls, sections.
PAGE_TAGS = TEXT_TAGS | frozenset({"aside", "button", "fieldset", "footer", "header", "input", "label",
                                   "legend", "nav", "section", "textarea"})

_ANY_ELEMENT = frozenset({"class", "id", "title", "hidden", "role", "tabindex", "lang", "dir"})
_PER_ELEMENT = {
    "a": {"href"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "details": {"open"},
    "input": {"type", "name", "value", "checked", "autocomplete", "min", "max", "step"},
    "label": {"for"},
    "textarea": {"rows", "cols", "autocomplete"},
    "button": {"type"},
}
# Accessibility attributes, and the worksheet script's own hooks (never author-written: the
# text checks refuse attribute lists, and this list has no event handlers in it).
_ATTRIBUTE_PREFIXES = frozenset({"aria-", "data-psy-"})
_INPUT_TYPES = frozenset({"text", "date", "checkbox", "radio", "number"})
_BUTTON_TYPES = frozenset({"button"})

LINK_SCHEMES = frozenset({"https", "mailto", "tel", "sms"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers drop these anywhere in a URL, so `java\tscript:` is still a script link.
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")


def safe_link(url: str, schemes: frozenset[str] = LINK_SCHEMES) -> bool:
    """Whether a link may point at `url` (already entity-decoded, as the browser reads it)."""
    cleaned = _IGNORED_IN_URLS.sub("", url)
    scheme = _SCHEME.match(cleaned)
    if scheme:
        return scheme.group(1).lower() in schemes
    # Relative to the page, or to the site's root; never `//host/…` (another host) or `\\`.
    return not cleaned.startswith(("//", "\\", "/\\"))


def clean_page_html(fragment: str) -> str:
    """The content area of a built page: author text and Psychoed's own template HTML."""
    return _cleaner(PAGE_TAGS).clean(fragment)


def clean_text_html(fragment: str) -> str:
    """HTML made from author text alone (the print handouts' Markdown)."""
    return _cleaner(TEXT_TAGS).clean(fragment)


def _keep_attribute(element: str, attribute: str, value: str) -> Optional[str]:
    if attribute == "href":
        return value if safe_link(value) else None
    if element == "input" and attribute == "type":
        return value if value.lower() in _INPUT_TYPES else None
    if element == "button" and attribute == "type":
        return value if value.lower() in _BUTTON_TYPES else None
    return value


@cache
def _cleaner(tags: frozenset[str]) -> nh3.Cleaner:
    attributes = {"*": set(_ANY_ELEMENT)}
    attributes.update({element: set(names) for element, names in _PER_ELEMENT.items() if element in tags})
    return nh3.Cleaner(
        tags=set(tags),
        clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "svg", "math"},
        attributes=attributes,
        generic_attribute_prefixes=set(_ATTRIBUTE_PREFIXES),
        attribute_filter=_keep_attribute,
        url_schemes=set(LINK_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )

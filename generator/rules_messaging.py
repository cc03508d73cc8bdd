"""Content rule `safe-messaging` beyond its phrases: a page that mentions suicide or self-harm
declares it, offers help, and names no method or location near the mention — except means-safety
advice (storing, locking or removing the means), which families need (rules.yml
`means_safety_terms`)."""

from __future__ import annotations

import re
from typing import Any, Iterator, Protocol

from .diagnostics import Diagnostic
from .load import Curriculum
from .model import Module
from .rules import RuleBook
from .rules_numbers import help_pattern
from .source import SourceFile


class ReaderText(Protocol):
    source: SourceFile
    path: tuple[Any, ...]
    text: str
    reader: str


def names_pattern(names: tuple[str, ...]) -> "re.Pattern[str]":
    return re.compile("|".join(re.escape(n) for n in names) or r"(?!)", re.IGNORECASE)


def blank(text: str, pattern: "re.Pattern[str]") -> str:
    """Replace matches with spaces, keeping every other character where it was."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def crisis_services(curriculum: Curriculum) -> "re.Pattern[str]":
    """The program's crisis service names: "988 Suicide & Crisis Lifeline" names help, it does not
    discuss suicide."""
    return names_pattern(tuple(r.name for r in curriculum.program.crisis))


def safe_messaging(curriculum: Curriculum, module: Module, texts: list[ReaderText], book: RuleBook) -> Iterator[Diagnostic]:
    """A page that mentions suicide or self-harm declares it, names no method, and offers help."""
    suicide = re.compile(book.suicide_terms, re.IGNORECASE)
    method = re.compile(book.method_terms, re.IGNORECASE)
    page = [t for t in texts if t.reader in ("participants", "families")]
    services = crisis_services(curriculum)
    mentions = [(t, m) for t in page for m in [suicide.search(blank(t.text, services))] if m]
    if not mentions:
        return
    first, match = mentions[0]
    source = curriculum.source("module", module.id)
    if not any(suicide.search(note) or re.search(r"suicid|self[- ]harm", note, re.I) for note in module.content_notes):
        yield source.diagnostic_at_text(first.path, first.text, match.group(0),
                                        "this page mentions suicide or self-harm, but `content_notes` does not say so",
                                        'add `content_notes: ["mentions suicide"]`', rule="safe-messaging")
    help_terms = re.compile(help_pattern(book, curriculum.program), re.IGNORECASE)
    advice = re.compile(book.means_safety_terms, re.IGNORECASE)
    if not any(help_terms.search(t.text) for t in page):
        yield source.diagnostic_at_text(first.path, first.text, match.group(0),
                                        "this page mentions suicide or self-harm but gives no way to get help",
                                        "say how to reach help: {{ crisis.line.how }}; {{ crisis.emergency.how }} "
                                        "in an emergency", rule="safe-messaging")
    for text, _ in mentions:
        for near in _near(blank(text.text, services), suicide, method, book.method_window_words, advice):
            yield text.source.diagnostic_at_text(text.path, text.text, near,
                                                 f"method or location word “{near}” near a mention of suicide or self-harm",
                                                 "name no method or location; speak of safety in general terms",
                                                 rule="safe-messaging")


def _near(text: str, anchor: "re.Pattern[str]", word: "re.Pattern[str]", window: int,
          advice: "re.Pattern[str]") -> Iterator[str]:
    """Method words within `window` words of a mention, unless their sentence is storage or removal advice."""
    anchors = [(m.start(), m.end()) for m in anchor.finditer(text)]
    for match in word.finditer(text):
        if advice.search(_sentence_around(text, match.start(), match.end())):
            continue
        for start, end in anchors:
            between = text[end:match.start()] if match.start() >= end else text[match.end():start]
            if len(between.split()) <= window:
                yield match.group(0)
                break


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or list item) that holds text[start:end]."""
    stops = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return text[(stops[-1] if stops else 0):(after.start() if after else len(text))]


_SENTENCE_END = re.compile(r"[.!?;](\s|$)|\n\s*\n|\n\s*[-*+]\s|\n\s*\d+\.\s")

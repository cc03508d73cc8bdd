"""Readability beyond the grade: runs of very short sentences read as choppy (rules.yml
`readability.short_sentence_words` and `short_sentence_run`). Only paragraphs are measured:
list items and steps are meant to be short."""

from __future__ import annotations

import re
from typing import Any, Iterator, Protocol

from .diagnostics import Diagnostic
from .rules import Readability
from .source import SourceFile

RULE = "readability"
_PARAGRAPH_FIELDS = ("summary", "main_message", "body")
_LIST_ITEM = re.compile(r"^\s*([-+*]|\d+\.)\s")
_LEAD_IN = re.compile(r"^\*\*[^*]{1,60}?[.:]\s*\*\*")  # a bold label such as "**Mental stage.**" is not a sentence
_EMPHASIS = re.compile(r"\*\*|(?<!\w)[*_]|[*_](?!\w)")
_SENTENCE = re.compile(r"[^.!?]+[.!?]+[\"”’)]*")
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)|<[a-z]+:[^>\s]*>|\b(https?|mailto|tel|sms):\S+")  # dots in addresses end no sentence


class ReaderText(Protocol):
    source: SourceFile
    path: tuple[Any, ...]
    text: str
    reader: str
    field: tuple[Any, ...]


def choppy_findings(texts: list[ReaderText], limits: Readability) -> Iterator[Diagnostic]:
    """One warning per text that has a run of short sentences, at the run's first sentence."""
    for text in texts:
        if text.reader not in ("participants", "families") or not text.field or text.field[-1] not in _PARAGRAPH_FIELDS:
            continue
        run = next(iter(short_runs(text.text, limits.short_sentence_words, limits.short_sentence_run)), None)
        if run:
            yield text.source.diagnostic_at_text(
                text.path, text.text, run[0], f"{len(run)} very short sentences in a row (“{' '.join(run)[:60]}…”)",
                "join related ideas with and, but, so, because or when; aim for 8 to 15 words a sentence",
                severity="warning", rule=RULE)


def short_runs(markdown: str, max_words: int, min_run: int) -> list[list[str]]:
    """Runs of at least `min_run` consecutive sentences of at most `max_words` words, per paragraph."""
    runs = []
    for paragraph in re.split(r"\n\s*\n", markdown):
        if _LIST_ITEM.match(paragraph) or paragraph.lstrip().startswith(("#", "|", ">")):
            continue
        current: list[str] = []
        prose = _EMPHASIS.sub("", _LEAD_IN.sub("", _LINK_TARGET.sub("]", " ".join(paragraph.split()))))
        for sentence in (s.strip() for s in _SENTENCE.findall(prose)):
            quoted = sentence.startswith(('"', "“"))  # example thoughts or words are short by nature
            if not quoted and len(re.findall(r"[\w’']+", sentence)) <= max_words:
                current.append(sentence)
                continue
            if len(current) >= min_run:
                runs.append(current)
            current = []
        if len(current) >= min_run:
            runs.append(current)
    return runs

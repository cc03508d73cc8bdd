"""Content rule `near-copy`: a track variant that repeats the base text almost word for word is
not tailoring. Compared: the reader text of the fields the variant overrides, against the same
fields of the base module (facilitator notes and references are not reader text)."""

from __future__ import annotations

import difflib
from typing import Any, Iterable, Iterator, Optional

from .diagnostics import Diagnostic
from .load import Curriculum, strings
from .model import Module


RULE = "near-copy"
_NOT_READER_TEXT = {"facilitator", "references", "covers", "worksheets", "audience", "code", "minutes",
                    "last_reviewed"}


def near_copy_findings(curriculum: Curriculum, ratio: float, min_words: int,
                       modules: Optional[Iterable[Module]] = None) -> Iterator[Diagnostic]:
    """The near copies among the variants of `modules` (default: every module)."""
    for module in curriculum.modules.values() if modules is None else modules:
        base = module.model_dump(exclude={"variants"})
        for track_id, variant in module.variants.items():
            overrides = variant.model_dump(exclude_unset=True)
            fields = [name for name in overrides if name not in _NOT_READER_TEXT]
            variant_words = _words({name: overrides[name] for name in fields})
            if len(variant_words) < min_words:
                continue
            similarity = similar(_words({name: base[name] for name in fields}), variant_words)
            if similarity >= ratio:
                yield curriculum.source("module", module.id).diagnostic(
                    ("variants", track_id), f"the `{track_id}` variant is {similarity:.0%} the same as the base text "
                    f"({', '.join(fields)})", "tailor it or drop it", key=True, severity="warning", rule=RULE)


def similar(base: list[str], variant: list[str]) -> float:
    """How much of the two word sequences is the same, 0 to 1."""
    return difflib.SequenceMatcher(None, base, variant, autojunk=False).ratio()


def _words(data: Any) -> list[str]:
    return [word.casefold() for _, text in strings(data) for word in text.split()]



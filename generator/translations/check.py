"""Everything `psychoed check` adds for translations.

Stale, unstamped and missing translations (`coverage`), overlay text that does not fit the
schema (`translate`), and the content rules on the translated text of each published track:
the phrase rules of that language, its readability scale, and the short-sentence rule. Rules
that read English patterns (safety topics, the safety-plan order) or the structure of a file
are checked on the source alone; their findings would only repeat at the overlay's lines.
"""

from __future__ import annotations

import datetime
from typing import Iterator, Optional

from ..check_cache import CheckCache
from ..diagnostics import CurriculumError, Diagnostic
from ..lint import lint
from ..load import Curriculum
from ..rules import all_rule_sets, builtin_rules
from ..rules_sentences import RULE as SHORT_SENTENCES
from ..tailor import tailor
from .coverage import translation_problems
from .translate import translate


def translation_findings(curriculum: Curriculum, as_of: datetime.date,
                         cache: Optional[CheckCache] = None) -> list[Diagnostic]:
    """`cache` keeps the per-module results of the translated text beside the source's: their
    keys hold the overlay's lines and the translated text, so the two never meet."""
    found = list(translation_problems(curriculum))
    for language in curriculum.program.translations:
        found += translated_text_findings(curriculum, language, as_of, cache)
    return found


def translated_text_findings(curriculum: Curriculum, language: str, as_of: datetime.date,
                             cache: Optional[CheckCache] = None) -> Iterator[Diagnostic]:
    try:
        translation = translate(curriculum, language)
    except CurriculumError as exc:
        yield from exc.diagnostics
        return
    translated = translation.curriculum
    overlay_paths = {o.file.path for o in curriculum.overlays.values() if o.language == language}
    views = {}
    for track_id in translation.settings.tracks:
        if track_id in translated.tracks:
            try:
                views[track_id] = tailor(translated, track_id)
            except CurriculumError as exc:
                yield from (d for d in exc.diagnostics if d.path in overlay_paths)
    book = builtin_rules()
    text_rules = {"avoid", "readability", SHORT_SENTENCES}
    for track_id in views:  # the phrase rules of this language (a rule set may share its id with another rule)
        text_rules |= {set_id for set_id, phrase_set in all_rule_sets(book, translated.program,
                                                                      translated.tracks[track_id]).items()
                       if phrase_set.language in (None, language)}
    for finding in lint(translated, views, as_of, cache=cache).findings:  # the built-in rules, as `book`
        if finding.path in overlay_paths and finding.rule in text_rules:
            yield finding

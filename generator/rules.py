"""The content rules as data: the built-in `rules.yml`, plus what a program or track adds.

`active_phrases()` answers one question: which phrase rules apply to a text of a given
track and audience. The checks themselves live in `lint.py`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field

from .model import PhraseRule, PhraseSet, Program, Track
from .shipped import RULES_FILE


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleInfo(_Data):
    summary: str
    rationale: str
    sources: list[str]


class SafetyPlanStep(_Data):
    step: str
    pattern: str


class Readability(_Data):
    warn_above: float
    error_above: float
    inflesz_warn_below: float  # Spanish: Szigriszt-Pazos perspicuity on the INFLESZ scale
    inflesz_error_below: float
    section_min_words: int
    short_sentence_words: int
    short_sentence_run: int


class NearCopy(_Data):
    ratio: float
    min_words: int


class Range(_Data):
    min: int
    max: int


class Structure(_Data):
    max_list_items: int
    references: Range


class TopicPhrase(_Data):
    need: str  # what the finding asks the author to add
    pattern: str

    def regex(self) -> "re.Pattern[str]":
        return re.compile(self.pattern, re.IGNORECASE)


class SafetyTopic(_Data):
    summary: str
    phrases: list[TopicPhrase]


class TopicDeadline(_Data):
    topic: str
    by_week: int
    for_: list[Literal["participants", "families"]] = Field(alias="for")
    rule_set: Optional[str] = None  # only tracks that name this rule set; None: every track


class PhonePattern(_Data):
    what: str
    pattern: str
    role: Optional[Literal["line", "emergency"]] = None


class RuleBook(_Data):
    rules: dict[str, RuleInfo]
    exempt_names: list[str]
    closed_services: list[PhraseRule]
    rule_sets: dict[str, PhraseSet]
    suicide_terms: str
    method_terms: str
    method_window_words: int
    means_safety_terms: str
    help_terms: str
    safety_plan_tag: str
    safety_plan_steps: list[SafetyPlanStep]
    readability: Readability
    structure: Structure
    safety_topics: dict[str, SafetyTopic]
    topic_schedule: list[TopicDeadline]
    urge_riding_terms: str
    urge_riding_topic: str
    family_suicide_topic: str
    phone_numbers: list[PhonePattern]
    near_copy: NearCopy

    def explain(self, rule_id: str) -> Optional[str]:
        info = self.rules.get(rule_id)
        if info is None:
            return None
        sources = "\n".join(f"  - {source}" for source in info.sources)
        return f"{rule_id}: {info.summary}\n\n{info.rationale}\n\nSources:\n{sources}"


@functools.cache
def builtin_rules() -> RuleBook:
    return RuleBook.model_validate(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class ActivePhrase:
    rule: str  # the id printed with a finding: the rule set's name, or `avoid`
    regex: "re.Pattern[str]"
    use: str
    severity: Literal["error", "warning"]
    quotes_exempt: bool  # quoted self-description is exempt from person-first wording


def all_rule_sets(book: RuleBook, program: Program, track: Optional[Track]) -> dict[str, PhraseSet]:
    sets = {**book.rule_sets, **program.safety.rule_sets}
    if track is not None:
        sets.update(track.safety.rule_sets)
    return sets


def active_phrases(book: RuleBook, program: Program, track: Optional[Track], audience: str) -> list[ActivePhrase]:
    """Every phrase rule that applies to text of `track` read by `audience`."""
    named = set(program.safety.rules) | set(track.safety.rules if track else [])
    active: list[ActivePhrase] = []
    for set_id, phrase_set in all_rule_sets(book, program, track).items():
        if phrase_set.language not in (None, program.language):
            continue
        on = (phrase_set.applies == "always"
              or set_id in named
              or (phrase_set.applies == "families" and audience == "families"))
        if on:
            active += [_active(set_id, rule) for rule in phrase_set.phrases]
    avoid = [*program.safety.avoid, *(track.safety.avoid if track else [])]
    active += [_active("avoid", rule) for rule in avoid]
    active += [_active("crisis-and-disclaimer", rule) for rule in book.closed_services]
    return active


def _active(rule_id: str, rule: PhraseRule) -> ActivePhrase:
    quotes_exempt = rule_id in ("person-first", "person-first-es")  # quoted self-description, in either language
    return ActivePhrase(rule_id, rule.regex(), rule.use or "", rule.severity, quotes_exempt)

"""Content rule `safety-topics`: safety topics are taught where and when they are needed, and a
module that claims a topic (`covers:`) says what the topic needs.

All the data — the topics, their phrases, the schedule per rule set — is in rules.yml
(`safety_topics`, `topic_schedule`, `urge_riding_terms`, `family_suicide_topic`). Every check
runs on the tailored text of each track, so a variant must carry the note too.
"""

from __future__ import annotations

import re
from typing import Iterator

from .diagnostics import Diagnostic
from .load import Curriculum
from .model import Module
from .rules import RuleBook, TopicDeadline
from .rules_messaging import blank, crisis_services
from .tailor import TrackView, text_origin

RULE = "safety-topics"


def topic_findings(curriculum: Curriculum, view: TrackView, book: RuleBook,
                   texts_of: "dict[str, list[tuple[tuple, str, tuple]]]") -> Iterator[Diagnostic]:
    """`texts_of`: module id → (source path, reader text, field path) of its participant/family text."""
    for module in view.modules.values():
        texts = texts_of[module.id]
        yield from unverified_claims(curriculum, view, module, texts, book)
        yield from urge_riding_without_note(curriculum, view, module, texts, book)
        yield from family_suicide_without_means_safety(curriculum, view, module, texts, book)
    for deadline in deadlines_for(view, book):
        yield from missed_deadline(curriculum, view, deadline, book)


def unverified_claims(curriculum: Curriculum, view: TrackView, module: Module, texts: list, book: RuleBook
                      ) -> Iterator[Diagnostic]:
    words = "\n".join(text for _, text, _ in texts)
    origin = text_origin(curriculum.modules[module.id], view.track.id)
    for topic_id in module.covers:
        topic = book.safety_topics.get(topic_id)
        if topic is None:
            continue  # load reported the unknown topic
        missing = [phrase.need for phrase in topic.phrases if not phrase.regex().search(words)]
        if missing:
            yield curriculum.source("module", module.id).diagnostic(
                origin(("covers",)), f"covers `{topic_id}`, but its text on track `{view.track.id}` does not say: "
                + "; ".join(missing), f"`{topic_id}` is {topic.summary}", rule=RULE)


def urge_riding_without_note(curriculum: Curriculum, view: TrackView, module: Module, texts: list, book: RuleBook
                             ) -> Iterator[Diagnostic]:
    if book.urge_riding_topic in module.covers:
        return
    found = first_mention(texts, re.compile(book.urge_riding_terms, re.IGNORECASE))
    if found:
        path, text, words = found
        yield curriculum.source("module", module.id).diagnostic_at_text(
            path, text, words, f"teaches riding out urges (“{words}”) on track "
            f"`{view.track.id}` without the note that this is not for urges to hurt yourself",
            f"say what to do instead (safety plan, {{{{ crisis.line.how }}}}) and add `covers: "
            f"[{book.urge_riding_topic}]`", rule=RULE)


def family_suicide_without_means_safety(curriculum: Curriculum, view: TrackView, module: Module, texts: list,
                                        book: RuleBook) -> Iterator[Diagnostic]:
    if not view.for_families(module) or book.family_suicide_topic in module.covers:
        return
    # The content note declares the mention; the finding points at the mention itself.
    found = first_mention([t for t in texts if t[2][0] != "content_notes"],
                          re.compile(book.suicide_terms, re.IGNORECASE), ignore=crisis_services(curriculum))
    if found:
        path, text, words = found
        yield curriculum.source("module", module.id).diagnostic_at_text(
            path, text, words, f"a family page that mentions suicide must cover "
            f"`{book.family_suicide_topic}` (track `{view.track.id}`)",
            f"add means-safety advice ({book.safety_topics[book.family_suicide_topic].summary}) and "
            f"`covers: [{book.family_suicide_topic}]`", rule=RULE)


def first_mention(texts: list, pattern: "re.Pattern[str]", ignore: "re.Pattern[str] | None" = None) -> tuple[tuple, str, str] | None:
    """(source path, text, matched words) of the first text that `pattern` finds, with the
    `ignore`d names (crisis services) blanked out first; None if no text matches."""
    for path, text, _ in texts:
        match = pattern.search(blank(text, ignore) if ignore is not None else text)
        if match:
            return path, text, match.group(0)
    return None


def deadlines_for(view: TrackView, book: RuleBook) -> list[TopicDeadline]:
    named = set(view.program.safety.rules) | set(view.track.safety.rules)
    return [d for d in book.topic_schedule if d.rule_set is None or d.rule_set in named]


def missed_deadline(curriculum: Curriculum, view: TrackView, deadline: TopicDeadline, book: RuleBook
                    ) -> Iterator[Diagnostic]:
    for reader in deadline.for_:
        if not any(deadline.topic in s.module.covers and _reaches(view, s.module, reader)
                   for s in view.sessions() if s.week <= deadline.by_week):
            weeks = view.track.weeks
            at = ("weeks", min(deadline.by_week, len(weeks)) - 1, "title")
            where = "a family page or a module with `audience: all`" if reader == "families" else "a module"
            because = f" (rule set `{deadline.rule_set}`)" if deadline.rule_set else ""
            yield curriculum.source("track", view.track.id).diagnostic(
                at, f"no module covering `{deadline.topic}` for {reader} by week {deadline.by_week}{because}",
                f"schedule {where} with `covers: [{deadline.topic}]` in week {deadline.by_week} or earlier", rule=RULE)


def _reaches(view: TrackView, module: Module, reader: str) -> bool:
    if module.audience == "all":
        return True
    return view.for_families(module) == (reader == "families")

"""The content rules: clinical safety, language, readability and structure.

Every rule runs on the *tailored* text of each track (variants merged, vars filled in),
so a variant's wording is checked under that track's rules, and every finding points at
the line of the YAML text that holds it. The rule data lives in `rules.yml`.
"""

from __future__ import annotations

import datetime
import difflib
import re
import statistics
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal, Optional

from .build_cache import psychoed_digest
from .check_cache import CheckCache, UnitResult
from .diagnostics import Diagnostic
from .load import Curriculum, strings
from .model import Module, Worksheet
from .rules_messaging import blank, names_pattern, safe_messaging
from .rules_numbers import number_findings
from .rules_references import reference_findings
from .rules_sentences import choppy_findings
from .rules_variants import near_copy_findings
from .rules_topics import topic_findings
from .rules import ActivePhrase, RuleBook, active_phrases, all_rule_sets, builtin_rules
from .source import SourceFile
from .tailor import TrackView, text_origin
from .translations.reading import ReadingScale, reading_scale

Reader = Literal["participants", "families", "facilitators", "citation"]

# Module fields that are not prose a reader sees.
_NOT_PROSE = {"id", "family", "code", "tracks", "audience", "worksheets", "allow", "last_reviewed", "minutes", "variants",
              "covers"}
# Prose fields whose reading level is measured (headings and titles are fragments, not sentences).
_MEASURED = ("summary", "main_message", "objectives", "key_points", "sections", "discussion", "practice")
_LISTS = ("objectives", "key_points", "discussion", "practice")


@dataclass(frozen=True)
class Text:
    """One piece of text as a reader sees it, and where it is written."""

    source: SourceFile
    path: tuple[Any, ...]  # where it is written in its file (a variant's path when the variant wrote it)
    text: str
    reader: Reader
    field: tuple[Any, ...] = ()  # where it sits in the tailored item, e.g. ("sections", 2, "body")


@dataclass(frozen=True)
class Grade:
    track: str
    module: str
    grade: float


@dataclass
class LintResult:
    findings: list[Diagnostic] = field(default_factory=list)
    suppressed: list[tuple[Diagnostic, str]] = field(default_factory=list)  # finding, reason
    grades: list[Grade] = field(default_factory=list)

    def grade_summary(self) -> str:
        if not self.grades:
            return "readability: no participant or family text measured"
        worst = max(self.grades, key=lambda g: g.grade)
        return (f"readability: {len(self.grades)} module pages, Flesch-Kincaid grade mean "
                f"{statistics.mean(g.grade for g in self.grades):.1f}, max {worst.grade:.1f} "
                f"({worst.module} on {worst.track})")


def lint(curriculum: Curriculum, views: dict[str, TrackView], as_of: datetime.date,
         book: Optional[RuleBook] = None, cache: Optional[CheckCache] = None) -> LintResult:
    """Every content rule on every track; `cache` keeps the per-module and per-worksheet results
    (the built-in book only: a book passed in is not part of the cache key)."""
    cache = cache if cache is not None and book is None else CheckCache.disabled()
    book = book or builtin_rules()
    result = LintResult()
    found: set[Diagnostic] = set()
    found.update(rule_set_references(curriculum, book))
    found.update(program_findings(curriculum, book, as_of))
    found.update(unused_items(curriculum))
    found.update(reference_findings(curriculum))
    found.update(item_findings(curriculum, book, cache))
    for module in curriculum.modules.values():
        found.update(stale_review(curriculum, module, as_of))
    for worksheet in curriculum.worksheets.values():
        found.update(safety_plan_order(curriculum, worksheet, book))
    for view in views.values():
        found.update(track_findings(curriculum, view, book, result, cache))
    found.update(bad_suppressions(curriculum, book))
    result.findings, result.suppressed = apply_suppressions(curriculum, sorted(found))
    return result


def item_findings(curriculum: Curriculum, book: RuleBook, cache: CheckCache) -> Iterator[Diagnostic]:
    """The rules that read each module or worksheet alone, on every track (numbers, near copies)."""
    program = curriculum.program.model_dump_json()
    items: list[tuple[str, str, Module | Worksheet]] = [("module", m.id, m) for m in curriculum.modules.values()]
    items += [("worksheet", w.id, w) for w in curriculum.worksheets.values()]
    for kind, item_id, item in items:
        def compute() -> UnitResult:
            found = tuple(number_findings(curriculum, book, [(kind, item_id, item)]))
            if isinstance(item, Module):
                found += tuple(near_copy_findings(curriculum, book.near_copy.ratio, book.near_copy.min_words, [item]))
            return UnitResult(found)
        yield from cache.result([psychoed_digest(), program, kind, *source_key(curriculum, kind, item_id),
                                 item.model_dump_json()], compute).findings


def source_key(curriculum: Curriculum, kind: str, item_id: str) -> list[str]:
    """The part of a cache key that findings point into: the file as shown and its lines. A
    curriculum checked from a renamed folder is a new key, so its findings show the new path."""
    source = curriculum.source(kind, item_id)
    return [source.path, *source.lines]


# --- where the text is ---------------------------------------------------------------


def module_texts(curriculum: Curriculum, view: TrackView, module: Module) -> Iterator[Text]:
    original = curriculum.modules[module.id]
    source = curriculum.source("module", module.id)
    origin = text_origin(original, view.track.id)
    reader: Reader = "families" if view.for_families(module) else "participants"
    for path, text in strings(module.model_dump()):
        if path[0] in _NOT_PROSE:
            continue
        kind: Reader = "facilitators" if path[0] == "facilitator" else "citation" if path[0] == "references" else reader
        yield Text(source, origin(path), text, kind, path)


def worksheet_texts(curriculum: Curriculum, worksheet: Worksheet, reader: Reader) -> Iterator[Text]:
    source = curriculum.source("worksheet", worksheet.id)
    for path, text in strings(worksheet.model_dump(exclude={"id", "tags"})):
        if path[-1] != "type":
            yield Text(source, path, text, reader, path)


# --- phrase rules --------------------------------------------------------------------


def phrase_findings(text: Text, phrases: list[ActivePhrase], book: RuleBook) -> Iterator[Diagnostic]:
    if text.reader == "citation":
        return
    readable = blank(text.text, names_pattern(tuple(book.exempt_names)))
    unquoted = blank(readable, _QUOTED)
    for phrase in phrases:
        for match in phrase.regex.finditer(unquoted if phrase.quotes_exempt else readable):
            words = text.text[match.start():match.end()]
            hint = f"use: {phrase.use}" if phrase.use else ""
            yield text.source.diagnostic_at_text(text.path, text.text, words, f"avoid “{words}”", hint,
                                                 severity=phrase.severity, rule=phrase.rule)


_QUOTED = re.compile(r'"[^"\n]*"|“[^”]*”|«[^»]*»')  # Spanish quotes with « »


# --- per track -----------------------------------------------------------------------


def track_findings(curriculum: Curriculum, view: TrackView, book: RuleBook, result: LintResult,
                   cache: Optional[CheckCache] = None) -> Iterator[Diagnostic]:
    cache = cache or CheckCache.disabled()
    program, track = curriculum.program, view.track
    phrases = {reader: active_phrases(book, program, track, reader) for reader in ("participants", "families")}
    track_source = curriculum.source("track", track.id)
    track_texts = list(strings(track.model_dump(include={"title", "summary", "audience", "welcome"})))
    track_texts += [(("weeks", week.number - 1, "title"), week.title) for week in view.weeks]
    for path, text in track_texts:
        yield from phrase_findings(Text(track_source, path, text, "participants"), phrases["participants"], book)
    # What every per-item result depends on besides the item itself.
    settings = [psychoed_digest(), track.id, program.model_dump_json(), track.safety.model_dump_json()]

    reader_texts: dict[str, list[tuple[tuple[Any, ...], str, tuple[Any, ...]]]] = {}
    for module in view.modules.values():
        texts = list(module_texts(curriculum, view, module))
        audience = "families" if view.for_families(module) else "participants"
        unit = cache.result(
            [*settings, "module", audience, *source_key(curriculum, "module", module.id), module.model_dump_json()],
            lambda: module_findings(curriculum, module, track.id, texts, phrases[audience], book))
        yield from unit.findings
        if unit.grade is not None:
            result.grades.append(Grade(track.id, module.id, unit.grade))
        reader_texts[module.id] = [(t.path, t.text, t.field) for t in texts if t.reader in ("participants", "families")]
    yield from topic_findings(curriculum, view, book, reader_texts)

    family_worksheets = {w for m in view.modules.values() if view.for_families(m) for w in m.worksheets}
    for worksheet in view.worksheets.values():
        audience = "families" if worksheet.id in family_worksheets else "participants"
        texts = list(worksheet_texts(curriculum, worksheet, audience))
        yield from cache.result(
            [*settings, "worksheet", audience, *source_key(curriculum, "worksheet", worksheet.id),
             worksheet.model_dump_json()],
            lambda: UnitResult(tuple(d for t in texts for d in phrase_findings(t, phrases[audience], book))
                               + tuple(worksheet_readability(worksheet, texts, book, program.language)))).findings


def module_findings(curriculum: Curriculum, module: Module, track_id: str, texts: list[Text],
                    phrases: list[ActivePhrase], book: RuleBook) -> UnitResult:
    """The rules that read one module's text on one track, and its reading grade."""
    measured = LintResult()
    found = [d for t in texts for d in phrase_findings(t, phrases, book)]
    found += safe_messaging(curriculum, module, texts, book)
    found += readability(curriculum, module, track_id, texts, book, measured)
    found += choppy_findings(texts, book.readability)
    found += module_structure(curriculum, module, track_id, book)
    return UnitResult(tuple(found), measured.grades[0].grade if measured.grades else None)


def readability(curriculum: Curriculum, module: Module, track_id: str, texts: list[Text], book: RuleBook,
                result: LintResult) -> Iterator[Diagnostic]:
    limits = book.readability
    scale = reading_scale(curriculum.program.language, limits)
    measured = [t for t in texts if t.reader in ("participants", "families") and t.field[0] in _MEASURED]
    if not measured:
        return
    score = scale.measure(_plain(measured))
    result.grades.append(Grade(track_id, module.id, score))
    source = curriculum.source("module", module.id)
    origin = text_origin(curriculum.modules[module.id], track_id)
    if scale.too_hard(score):
        yield _grade_finding(source, ("title",), f"module text reads at {scale.describe(score)}", score, scale)
    for i, section in enumerate(module.sections):
        in_section = [t for t in measured if t.field[:2] == ("sections", i)]
        if sum(len(t.text.split()) for t in in_section) >= limits.section_min_words:
            section_score = scale.measure(_plain(in_section))
            if scale.too_hard(section_score):
                yield _grade_finding(source, origin(("sections", i, "heading")),
                                     f"section “{section.heading}” reads at {scale.describe(section_score)}",
                                     section_score, scale)


def worksheet_readability(worksheet: Worksheet, texts: list[Text], book: RuleBook, language: str = "en"
                          ) -> Iterator[Diagnostic]:
    """Instructions and help text of a worksheet, measured together (labels are fragments, not sentences)."""
    prose = [t for t in texts if t.field[0] == "instructions" or t.field[-1] == "help"]
    if sum(len(t.text.split()) for t in prose) >= book.readability.section_min_words:
        scale = reading_scale(language, book.readability)
        score = scale.measure(_plain(prose))
        if scale.too_hard(score):
            yield _grade_finding(texts[0].source, ("instructions",), f"worksheet text reads at {scale.describe(score)}",
                                 score, scale)


def _grade_finding(source: SourceFile, path: tuple[Any, ...], message: str, score: float,
                   scale: ReadingScale) -> Diagnostic:
    severity = "error" if scale.far_too_hard(score) else "warning"
    return source.diagnostic(path, message, scale.goal, severity=severity, rule="readability")


def _plain(texts: list[Text]) -> str:
    return " ".join(_as_sentences(t.text) for t in texts)


def _as_sentences(markdown: str) -> str:
    """Markdown to plain sentences: link text only, no markup, and each paragraph, list item
    or heading a sentence of its own. Lines wrapped inside a paragraph are joined first."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"(?m)^\s*([-+*]|\d+\.)\s+", "\n\n", text)  # every list item starts a block
    text = re.sub(r"[*_`#>|]", " ", text)
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return " ".join(b if b.endswith((".", "?", "!", ":")) else b + "." for b in blocks if b)


def module_structure(curriculum: Curriculum, module: Module, track_id: str, book: RuleBook) -> Iterator[Diagnostic]:
    """Short lists, something to practice, a few sources, and a timing plan that fills the session."""
    source = curriculum.source("module", module.id)
    origin = text_origin(curriculum.modules[module.id], track_id)
    rules = book.structure
    most = rules.max_list_items
    lists: list[tuple[tuple[Any, ...], list[str]]] = [((name,), getattr(module, name)) for name in _LISTS]
    lists += [(("sections", i, "steps"), s.steps) for i, s in enumerate(module.sections)]
    for path, items in lists:
        if len(items) > most:
            yield source.diagnostic(origin(path), f"list of {len(items)} items; readers hold about {most} in mind",
                                    f"keep it to {most} or split it", severity="warning", rule="structure")
    if not module.practice:
        yield source.diagnostic(origin(("practice",)), "no practice item: give readers one thing to do before next time",
                                "add `practice:` with at least one item", severity="warning", rule="structure")
    sources = len(module.references)
    if not rules.references.min <= sources <= rules.references.max:
        yield source.diagnostic(origin(("references",)), f"{sources} references; cite {rules.references.min} to "
                                f"{rules.references.max} public sources", "keep the ones the text relies on most",
                                severity="warning", rule="structure")
    planned = sum(step.minutes for step in module.facilitator.timing)
    if planned != module.minutes:
        yield source.diagnostic(origin(("facilitator", "timing")), f"the timing plan adds up to {planned} minutes, "
                                f"but the session is {module.minutes}", "make the steps add up to `minutes`",
                                severity="warning", rule="structure")


# --- program, dates, worksheets, orphans ---------------------------------------------


def program_findings(curriculum: Curriculum, book: RuleBook, as_of: datetime.date) -> Iterator[Diagnostic]:
    program = curriculum.program
    source = curriculum.source("program", "program")
    phrases = active_phrases(book, program, None, "participants")
    for path, text in strings(program.model_dump(exclude={"safety", "language", "paper", "translations"})):
        yield from phrase_findings(Text(source, path, text, "participants"), phrases, book)
    for kind in ("crisis", "resources"):
        for i, resource in enumerate(getattr(program, kind)):
            if _months_between(resource.verified_on, as_of) > program.review_limit_months:
                yield source.diagnostic((kind, i, "verified_on"), f"“{resource.name}” was last verified on "
                                        f"{resource.verified_on}, more than {program.review_limit_months} months ago",
                                        "check the contact details, then update `verified_on`", severity="warning",
                                        rule="crisis-and-disclaimer")


def stale_review(curriculum: Curriculum, module: Module, as_of: datetime.date) -> Iterator[Diagnostic]:
    limit = curriculum.program.review_limit_months
    if _months_between(module.last_reviewed, as_of) > limit:
        yield curriculum.source("module", module.id).diagnostic(
            ("last_reviewed",), f"last reviewed on {module.last_reviewed}, more than {limit} months ago",
            "review the content and sources, then update `last_reviewed`", severity="warning",
            rule="crisis-and-disclaimer")


def _months_between(earlier: datetime.date, later: datetime.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def safety_plan_order(curriculum: Curriculum, worksheet: Worksheet, book: RuleBook) -> Iterator[Diagnostic]:
    if book.safety_plan_tag not in worksheet.tags:
        return
    labels = [f"{f.label} {f.help}" for f in worksheet.fields]
    position = 0
    for number, step in enumerate(book.safety_plan_steps, start=1):
        pattern = re.compile(step.pattern, re.IGNORECASE)
        found = next((i for i in range(position, len(labels)) if pattern.search(labels[i])), None)
        if found is None:
            yield curriculum.source("worksheet", worksheet.id).diagnostic(
                ("fields",), f"safety plan step {number} ({step.step}) is missing or out of order",
                "the six steps, in order: " + "; ".join(s.step for s in book.safety_plan_steps), rule="safety-plan")
            return
        position = found + 1


def unused_items(curriculum: Curriculum) -> Iterator[Diagnostic]:
    scheduled = {s.module for t in curriculum.tracks.values() for w in t.weeks for s in w.sessions}
    used_worksheets = {w for m in curriculum.modules.values() for w in m.worksheets}
    used_worksheets |= {w for m in curriculum.modules.values() for v in m.variants.values() for w in (v.worksheets or [])}
    used_worksheets |= {w for t in curriculum.tracks.values() for wk in t.weeks for s in wk.sessions
                        for w in (s.worksheets or [])}
    for module_id in curriculum.modules.keys() - scheduled:
        yield curriculum.source("module", module_id).diagnostic(
            ("title",), f"module `{module_id}` is not scheduled on any track", "add it to a track's `weeks`, or remove it",
            severity="warning", rule="structure")
    for worksheet_id in curriculum.worksheets.keys() - used_worksheets:
        yield curriculum.source("worksheet", worksheet_id).diagnostic(
            ("title",), f"worksheet `{worksheet_id}` is not used by any module",
            "list it in a module's `worksheets`, or remove it", severity="warning", rule="structure")


def rule_set_references(curriculum: Curriculum, book: RuleBook) -> Iterator[Diagnostic]:
    """Every name in a `safety.rules` list is a rule set that exists."""
    owners = [("program", "program", curriculum.program.safety, None)]
    owners += [("track", t.id, t.safety, t) for t in curriculum.tracks.values()]
    for kind, item_id, safety, track in owners:
        known = list(all_rule_sets(book, curriculum.program, track))
        for i, name in enumerate(safety.rules):
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean `{close[0]}`?" if close else "known rule sets: " + ", ".join(sorted(known))
                yield curriculum.source(kind, item_id).diagnostic(("safety", "rules", i), f"unknown rule set `{name}`", hint)


# --- suppressions --------------------------------------------------------------------


def known_rule_ids(curriculum: Curriculum, book: RuleBook) -> set[str]:
    ids = set(book.rules) | {"avoid"} | set(all_rule_sets(book, curriculum.program, None))
    for track in curriculum.tracks.values():
        ids |= set(track.safety.rule_sets)
    return ids


def bad_suppressions(curriculum: Curriculum, book: RuleBook) -> Iterator[Diagnostic]:
    known = known_rule_ids(curriculum, book)
    for module in curriculum.modules.values():
        for i, allowed in enumerate(module.allow):
            if allowed.rule not in known:
                close = difflib.get_close_matches(allowed.rule, sorted(known), n=1)
                yield curriculum.source("module", module.id).diagnostic(
                    ("allow", i, "rule"), f"`allow` names unknown rule `{allowed.rule}`",
                    f"did you mean `{close[0]}`?" if close else "known rules: " + ", ".join(sorted(known)))


def apply_suppressions(curriculum: Curriculum, findings: list[Diagnostic]
                       ) -> tuple[list[Diagnostic], list[tuple[Diagnostic, str]]]:
    """Drop the findings a module's `allow:` accepts, keeping them (with the reason) for --verbose."""
    allowed = {(curriculum.source("module", m.id).path, a.rule): a.reason
               for m in curriculum.modules.values() for a in m.allow}
    kept, suppressed = [], []
    for finding in findings:
        reason = allowed.get((finding.path, finding.rule)) if finding.rule else None
        if reason is None:
            kept.append(finding)
        else:
            suppressed.append((finding, reason))
    return kept, suppressed

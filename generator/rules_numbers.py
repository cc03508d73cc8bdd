"""Content rule `crisis-numbers`: no phone number or short code written into module or worksheet
text. Crisis numbers belong to program.yml, and text refers to them as {{ crisis.line.how }} or
{{ crisis.emergency.how }}, so a clinic elsewhere changes them once. Checked on the source
text, before Jinja fills anything in; the patterns are data (`phone_numbers` in rules.yml)."""

from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from .diagnostics import Diagnostic
from .load import Curriculum, strings
from .model import Program
from .rules import PhonePattern, RuleBook

RULE = "crisis-numbers"
_NOT_TEXT = {"id", "family", "code", "tracks", "audience", "worksheets", "allow", "last_reviewed", "minutes",
             "references", "covers", "tags", "type"}
# Parts of a text that are not words a reader dials: template values, link targets, web addresses.
_NOT_WORDS = re.compile(r"\{\{.*?\}\}|\]\([^)]*\)|<[^>\s]+>|https?://\S+|www\.\S+", re.DOTALL)


def number_findings(curriculum: Curriculum, book: RuleBook,
                    items: Optional[list[tuple[str, str, Any]]] = None) -> Iterator[Diagnostic]:
    """Phone numbers written into `items` (kind, id, module or worksheet; default: all of them)."""
    patterns = [(p, re.compile(p.pattern, re.IGNORECASE)) for p in book.phone_numbers]
    own = _program_numbers(curriculum.program)
    if items is None:
        items = [("module", m.id, m) for m in curriculum.modules.values()]
        items += [("worksheet", w.id, w) for w in curriculum.worksheets.values()]
    for kind, item_id, item in items:
        source = curriculum.source(kind, item_id)
        for path, text in strings(item.model_dump()):
            if any(step in _NOT_TEXT for step in path if isinstance(step, str)):
                continue
            for number, pattern in numbers_in(text, patterns):
                yield source.diagnostic_at_text(path, text, number, f"{pattern.what} “{number}” written into the text",
                                                _hint(number, pattern, own), rule=RULE)


def numbers_in(text: str, patterns: list[tuple[PhonePattern, "re.Pattern[str]"]]
               ) -> list[tuple[str, PhonePattern]]:
    """Each number once (the first pattern that finds it), in order of appearance."""
    words = _NOT_WORDS.sub(lambda m: " " * len(m.group(0)), text)
    taken: list[tuple[int, int, str, PhonePattern]] = []
    for pattern, regex in patterns:
        for match in regex.finditer(words):
            if not any(match.start() < end and start < match.end() for start, end, _, _ in taken):
                taken.append((match.start(), match.end(), match.group(0).strip(), pattern))
    return [(number, pattern) for _, _, number, pattern in sorted(taken, key=lambda t: t[0])]


def _program_numbers(program: Program) -> dict[str, str]:
    """Digits of the program's own crisis numbers → their role."""
    own: dict[str, str] = {}
    for resource in program.crisis:
        for number in (resource.phone, resource.sms):
            if number and resource.role:
                own[number.lstrip("+")] = resource.role
    return own


def _hint(number: str, pattern: PhonePattern, own: dict[str, str]) -> str:
    digits = re.sub(r"\D", "", number)
    role: Optional[str] = next((r for d, r in own.items() if d and d in digits), None) or pattern.role
    if role == "emergency":
        return "write {{ crisis.emergency.how }} (or {{ crisis.emergency.name }}); the number comes from program.yml"
    if role == "line":
        return "write {{ crisis.line.how }} (or {{ crisis.line.name }}); the number comes from program.yml"
    return ("for crisis help write {{ crisis.line.how }}; list other services with their numbers under "
            "`resources:` in program.yml (shown on the resources page)")


def help_pattern(book: RuleBook, program: Program) -> str:
    """Words that count as a way to get help: the rule data's, and the program's own crisis values
    (`how` and `name`) as they read once filled into the text."""
    own = [re.escape(value) for r in program.crisis for value in (r.how, r.name) if value]
    return "|".join([book.help_terms, *own])

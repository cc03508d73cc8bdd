"""Stage 2: a `Curriculum` and a track id → a `TrackView`, the curriculum as that cohort sees it.

Each scheduled module gets its track variant merged in (mappings merge, lists and
text replace) and every text has its values put in by `substitute`, which allows nothing but
value names: `{{ track.vars.NAME }}`, `{{ track.title }}`, `{{ program.name }}` and the
program's crisis values (`{{ crisis.line.how }}`, `{{ crisis.emergency.name }}` …). References
limited to other tracks are dropped. An undefined variable is an error at the line of the text
that uses it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator, Optional, TypeVar, cast

from pydantic import BaseModel, ValidationError

from .dates import session_date, session_day, week_start
from .diagnostics import CurriculumError, Diagnostic
from .load import Curriculum, validation_diagnostics
from .model import CRISIS_ROLES, Module, Program, Track, Worksheet
from .references import for_track
from .source import SourceFile
from .substitute import TextProblem, Undefined, known_names, substitute
from .text_safety import first_markup_problem, plain_value_problem


@dataclass(frozen=True)
class SessionView:
    week: int  # 1-based
    number: int  # 1-based within the week
    module: Module
    worksheets: tuple[Worksheet, ...]
    day: Optional[str] = None  # "Mon", when the track names its meeting days
    date: Optional[datetime.date] = None  # when the track also has a start date


@dataclass(frozen=True)
class WeekView:
    number: int
    title: str
    sessions: tuple[SessionView, ...]
    starts: Optional[datetime.date] = None  # first and last day of the week, when the track has a start date
    ends: Optional[datetime.date] = None


@dataclass(frozen=True)
class TrackView:
    program: Program
    track: Track
    weeks: tuple[WeekView, ...]
    modules: dict[str, Module]  # every scheduled module, tailored, in order of first session
    worksheets: dict[str, Worksheet]  # every worksheet a module or session uses, tailored

    def for_families(self, module: Module) -> bool:
        """Whether the module is a family page: its own audience, or its family's, is families.
        Family pages are printed in family packets and checked under the family rule sets."""
        return module.audience == "families" or self.program.families[module.family].audience == "families"

    def modules_of_family(self, family: str) -> list[Module]:
        return [m for m in self.modules.values() if m.family == family]

    def modules_using(self, worksheet_id: str) -> list[Module]:
        return [m for m in self.modules.values() if worksheet_id in m.worksheets]

    def sessions(self) -> Iterator[SessionView]:
        for week in self.weeks:
            yield from week.sessions

    def sessions_of(self, module_id: str) -> list[SessionView]:
        """Every session of the schedule that teaches the module, in order."""
        return [s for s in self.sessions() if s.module.id == module_id]

    @property
    def dated(self) -> bool:
        return self.track.start is not None


_Model = TypeVar("_Model", bound=BaseModel)


def tailor(curriculum: Curriculum, track_id: str) -> TrackView:
    """The track's view of the curriculum; raises CurriculumError for template problems."""
    track = curriculum.tracks[track_id]
    context = {
        "track": {"id": track.id, "title": track.title, "summary": track.summary, "vars": dict(track.vars)},
        "program": {"name": curriculum.program.name, "organization": curriculum.program.organization},
        "crisis": crisis_values(curriculum.program),
    }
    renderer = _TextRenderer(context)

    modules: dict[str, Module] = {}
    worksheets: dict[str, Worksheet] = {}

    def worksheet(worksheet_id: str) -> Worksheet:
        if worksheet_id not in worksheets:
            original = curriculum.worksheets[worksheet_id]
            source = curriculum.source("worksheet", worksheet_id)
            data = renderer.render_tree(original.model_dump(), source, lambda path: path)
            worksheets[worksheet_id] = renderer.validate(Worksheet, data, source, lambda path: path) or original
        return worksheets[worksheet_id]

    weeks = []
    for w, week in enumerate(track.weeks, start=1):
        sessions = []
        for s, session in enumerate(week.sessions, start=1):
            if session.module not in modules:
                modules[session.module] = tailor_module(curriculum, session.module, track_id, renderer)
            module = modules[session.module]
            chosen = session.worksheets if session.worksheets is not None else module.worksheets
            sessions.append(SessionView(w, s, module, tuple(worksheet(i) for i in chosen),
                                        session_day(track, s - 1), session_date(track, w, s - 1)))
        starts = week_start(track, w)
        weeks.append(WeekView(w, renderer.render(week.title, curriculum.source("track", track_id), ("weeks", w - 1, "title")),
                              tuple(sessions), starts, starts + datetime.timedelta(days=6) if starts else None))
    for module in modules.values():
        for worksheet_id in module.worksheets:
            worksheet(worksheet_id)

    if renderer.problems:
        raise CurriculumError(renderer.problems)
    return TrackView(curriculum.program, track, tuple(weeks), modules, worksheets)


def tailor_module(curriculum: Curriculum, module_id: str, track_id: str, renderer: "_TextRenderer") -> Module:
    module = curriculum.modules[module_id]
    source = curriculum.source("module", module_id)
    merged = merge_variant(module.model_dump(exclude={"variants"}), _variant_data(module, track_id))
    origin = text_origin(module, track_id)
    tailored = renderer.validate(Module, renderer.render_tree(merged, source, origin), source, origin)
    if tailored is None:
        return module
    return tailored.model_copy(update={"references": for_track(tailored.references, track_id)})


def crisis_values(program: Program) -> dict[str, dict[str, str]]:
    """`crisis.line.*` and `crisis.emergency.*` for text: name, how, phone, sms, url, contact."""
    values: dict[str, dict[str, str]] = {}
    for role in CRISIS_ROLES:
        resource = program.crisis_role(role)
        fields = {"name": resource.name, "how": resource.how, "phone": resource.phone, "sms": resource.sms,
                  "url": resource.url, "contact": resource.contact}
        values[role] = {key: value for key, value in fields.items() if value}  # a missing one is an undefined name
    return values


def text_origin(module: Module, track_id: str) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """Maps a path in the tailored module to where its text is written: the variant or the base."""
    variant = _variant_data(module, track_id)

    def origin(path: tuple[Any, ...]) -> tuple[Any, ...]:
        return ("variants", track_id) + path if _comes_from(variant, path) else path

    return origin


def _variant_data(module: Module, track_id: str) -> dict[str, Any]:
    variant = module.variants.get(track_id)
    return variant.model_dump(exclude_unset=True) if variant else {}


def merge_variant(base: Any, variant: Any) -> Any:
    """Mappings merge key by key; anything else (lists, text, numbers) is replaced."""
    if isinstance(base, dict) and isinstance(variant, dict):
        return {**base, **{key: merge_variant(base.get(key), value) for key, value in variant.items()}}
    return variant


def _comes_from(variant: Any, path: tuple[Any, ...]) -> bool:
    node = variant
    for step in path:
        if not isinstance(node, dict):
            return True  # a list or text the variant replaced as a whole
        if step not in node:
            return False
        node = node[step]
    return True


class _TextRenderer:
    """Puts values into author text (`substitute`), collecting located problems; then checks the
    result again, since a value may bring markup that the text alone did not have."""

    def __init__(self, context: dict[str, Any]):
        self.context = context
        self.problems: list[Diagnostic] = []

    def render_tree(self, data: Any, source: SourceFile, origin: Any) -> Any:
        def walk(node: Any, path: tuple[Any, ...]) -> Any:
            if isinstance(node, str):
                return self.render(node, source, origin(path))
            if isinstance(node, dict):
                return {key: walk(value, path + (key,)) for key, value in node.items()}
            if isinstance(node, list):
                return [walk(value, path + (i,)) for i, value in enumerate(node)]
            return node

        return walk(data, ())

    def validate(self, model: type[_Model], data: Any, source: SourceFile, origin: Any) -> _Model | None:
        """`data` as `model`, or None after recording where its text broke the schema once the
        variables were filled in (a required text left empty by an empty track var)."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            track_id = self.context["track"]["id"]
            at_origin = cast(SourceFile, _AtOrigin(source, origin))
            for problem in validation_diagnostics(at_origin, model, exc):
                self.problems.append(replace(
                    problem, message=f"{problem.message} for track `{track_id}` once its variables are filled in",
                    hint="give the track's variable a value, or change the text"))
            return None

    def render(self, text: str, source: SourceFile, path: tuple[Any, ...]) -> str:
        outcome = substitute(text, self.context)
        if isinstance(outcome, Undefined):
            self.problems.append(self._undefined(outcome, text, source, path))
        elif isinstance(outcome, TextProblem):
            self.problems.append(source.diagnostic_at_text(path, text, outcome.needle, outcome.message, outcome.hint))
        elif outcome != text:
            problem = plain_value_problem(path[-1] if path else None, outcome) or first_markup_problem(outcome)
            if problem is not None:
                self.problems.append(source.diagnostic_at_text(
                    path, text, "{{", f"with its values put in, this text has a problem: {problem.message}",
                    "a value used here holds markup; change the value or the text"))
            else:
                return outcome
        return text

    def _undefined(self, undefined: Undefined, text: str, source: SourceFile, path: tuple[Any, ...]) -> Diagnostic:
        track = self.context["track"]
        if undefined.name.startswith("track.vars."):
            known = ", ".join(f"track.vars.{v}" for v in track["vars"]) or "none defined"
            hint = f"define it under `vars:` in the track file, or use one of: {known}"
        else:
            hint = "use one of: " + ", ".join(known_names(self.context))
        return source.diagnostic_at_text(path, text, undefined.missing,
                                         f"undefined variable `{undefined.missing}` for track `{track['id']}`", hint)


class _AtOrigin:
    """A source file whose diagnostics land where a tailored text was written (its variant or base)."""

    def __init__(self, source: SourceFile, origin: Callable[[tuple[Any, ...]], tuple[Any, ...]]):
        self.source, self.origin = source, origin

    def diagnostic(self, data_path: tuple[Any, ...], message: str, hint: str = "", **options: Any) -> Diagnostic:
        return self.source.diagnostic(self.origin(data_path), message, hint, **options)

"""Stage 2: a `Curriculum` and a track id → a `TrackView`, the curriculum as that cohort sees it.

Each scheduled module gets its track variant merged in (mappings merge, lists and
text replace) and every text rendered with `{{ track.vars.NAME }}`, `{{ track.title }}`,
`{{ program.name }}` and the program's crisis values (`{{ crisis.line.how }}`,
`{{ crisis.emergency.name }}` ...) filled in. References limited to other tracks are dropped. An undefined variable is an error at the line of the
text that uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .diagnostics import CurriculumError, Diagnostic
from .load import Curriculum
from .model import CRISIS_ROLES, Module, Program, Track, Worksheet
from .references import for_track
from .source import SourceFile


@dataclass(frozen=True)
class SessionView:
    week: int  # 1-based
    number: int  # 1-based within the week
    module: Module
    worksheets: tuple[Worksheet, ...]


@dataclass(frozen=True)
class WeekView:
    number: int
    title: str
    sessions: tuple[SessionView, ...]


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


_ENV = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
_TEMPLATE_MARK = re.compile(r"\{[{%#]")


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
            worksheets[worksheet_id] = Worksheet.model_validate(data)
        return worksheets[worksheet_id]

    weeks = []
    for w, week in enumerate(track.weeks, start=1):
        sessions = []
        for s, session in enumerate(week.sessions, start=1):
            if session.module not in modules:
                modules[session.module] = tailor_module(curriculum, session.module, track_id, renderer)
            module = modules[session.module]
            chosen = session.worksheets if session.worksheets is not None else module.worksheets
            sessions.append(SessionView(w, s, module, tuple(worksheet(i) for i in chosen)))
        weeks.append(WeekView(w, renderer.render(week.title, curriculum.source("track", track_id), ("weeks", w - 1, "title")),
                              tuple(sessions)))
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
    tailored = Module.model_validate(renderer.render_tree(merged, source, text_origin(module, track_id)))
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
    """Renders author text as Jinja templates, collecting located problems."""

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

    def render(self, text: str, source: SourceFile, path: tuple[Any, ...]) -> str:
        if not _TEMPLATE_MARK.search(text):
            return text
        try:
            return _ENV.from_string(text).render(self.context)
        except jinja2.UndefinedError as exc:
            name = _undefined_name(str(exc.message))
            track = self.context["track"]
            if "crisis" in text:
                crisis = [f"crisis.{role}.{key}" for role, values in self.context["crisis"].items() for key in values]
                hint = "give it a value in program.yml's `crisis:` entries, or use one of: " + ", ".join(crisis)
            else:
                known = ", ".join(f"track.vars.{v}" for v in track["vars"]) or "none defined"
                hint = f"define it under `vars:` in the track file, or use one of: {known}"
            self.problems.append(source.diagnostic_at_text(
                path, text, name or "{{", f"undefined variable `{name}` for track `{track['id']}`", hint))
        except jinja2.TemplateSyntaxError as exc:
            self.problems.append(source.diagnostic_at_text(
                path, text, "{", f"template syntax error in text: {exc.message}",
                "write variables as {{ track.vars.NAME }}"))
        except jinja2.TemplateError as exc:
            self.problems.append(source.diagnostic(path, f"template error in text: {exc}"))
        return text


def _undefined_name(message: str) -> str:
    """The missing name from Jinja's message, e.g. "'dict object' has no attribute 'x'" → x."""
    match = re.search(r"attribute '([^']+)'|'([^']+)' is undefined", message)
    return (match.group(1) or match.group(2)) if match else ""

"""Stage 1: the curriculum folder → a validated, cross-referenced `Curriculum`.

Every problem becomes a located `Diagnostic`; all of them are collected and raised
together in one `CurriculumError`, so an author sees the whole list at once.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, ValidationError

from .dates import schedule_date_problems
from .diagnostics import CurriculumError, Diagnostic
from .limits import text_limit_problems
from .model import PHONE_PATTERN, Module, Program, Reference, Track, Worksheet, known_fields
from .placeholders import unfilled_placeholders, without_shadowed
from .rules import builtin_rules
from .source import SourceFile, YamlProblem, read_yaml
from .text_safety import markup_problems, plain_value_problem
from .translations.overlays import Overlay, OverlayKey, is_overlay_file, read_overlays



@dataclass(frozen=True)
class Curriculum:
    root: Path
    program: Program
    tracks: dict[str, Track]  # in file-name order
    modules: dict[str, Module]
    worksheets: dict[str, Worksheet]
    sources: dict[tuple[str, str], SourceFile]  # (kind, id) → where it came from
    overlays: dict[OverlayKey, Overlay] = field(default_factory=dict)  # (language, kind, id) → its translation

    def source(self, kind: str, item_id: str) -> SourceFile:
        return self.sources[(kind, item_id)]


def load_curriculum(root: Path) -> Curriculum:
    """Read and validate every file under `root`; raise CurriculumError listing all problems."""
    root = Path(root).absolute()
    if not root.is_dir():
        raise CurriculumError([Diagnostic(str(root), 1, 1, "curriculum folder not found",
                                          "pass --curriculum DIR pointing at a folder with program.yml")])
    problems: list[Diagnostic] = []
    sources: dict[tuple[str, str], SourceFile] = {}
    unreadable: set[str] = set()  # ids of files already reported, so references to them stay quiet

    def read(file: Path, model: type[BaseModel], extra: dict[str, Any]) -> Any:
        item = _read_one(file, model, extra)
        if item is None:
            unreadable.add(file.stem)
        return item

    def _read_one(file: Path, model: type[BaseModel], extra: dict[str, Any]) -> Any:
        shown_as = file.relative_to(root.parent).as_posix()
        try:
            source = read_yaml(file, shown_as)
        except YamlProblem as problem:
            problems.append(problem.diagnostic)
            return None
        except OSError as exc:
            problems.append(Diagnostic(shown_as, 1, 1, f"cannot read file: {exc.strerror}"))
            return None
        if not isinstance(source.data, dict):
            problems.append(source.diagnostic((), "expected a mapping of `name: value` fields at the top of the file"))
            return None
        problems.extend(unsafe_markup(source))
        unfilled = list(unfilled_placeholders(source, strings(source.data)))
        problems.extend(unfilled)
        problems.extend(text_limit_problems(source, strings(source.data)))
        data = {**extra, **source.data}
        try:
            item = model.model_validate(data)
        except ValidationError as exc:
            problems.extend(without_shadowed(validation_diagnostics(source, model, exc), unfilled))
            return None
        kind = model.__name__.lower()
        key = (kind, getattr(item, "id", kind))
        if key in sources:
            problems.append(source.diagnostic(("id",), f"duplicate {kind} id `{key[1]}`",
                                              f"also defined in {sources[key].path}; rename one file or its `id`", key=True))
            return None
        sources[key] = source
        return item

    program_file = root / "program.yml"
    program = None
    if program_file.is_file():
        program = read(program_file, Program, {})
    else:
        problems.append(Diagnostic(f"{root.name}/program.yml", 1, 1, "missing file program.yml",
                                   "every curriculum needs program.yml with name, disclaimer, crisis and families"))

    tracks = _read_all(yaml_files(root / "tracks"), lambda f: read(f, Track, {"id": f.stem}))
    modules = _read_all(
        yaml_files(root / "modules", recursive=True),
        lambda f: read(f, Module, {"id": f.stem, **({"family": f.parent.name} if f.parent != root / "modules" else {})}),
    )
    worksheets = _read_all(yaml_files(root / "worksheets"), lambda f: read(f, Worksheet, {"id": f.stem}))

    if program is not None:
        modules = {mid: _with_family_audience(m, program) for mid, m in modules.items()}
        overlays, overlay_problems = read_overlays(root, program, sources, _overlay_text_checks)
        problems.extend(overlay_problems)
        curriculum = Curriculum(root, program, tracks, modules, worksheets, sources, overlays)
        problems.extend(d for d in cross_reference_problems(curriculum, unreadable))
    if problems:
        raise CurriculumError(problems)
    return curriculum


def yaml_files(folder: Path, *, recursive: bool = False) -> list[Path]:
    if not folder.is_dir():
        return []
    pattern = "**/*" if recursive else "*"
    return sorted(p for p in folder.glob(pattern)
                  if p.suffix in (".yml", ".yaml") and p.is_file() and not is_overlay_file(p))


def _overlay_text_checks(source: SourceFile) -> list[Diagnostic]:
    """The checks every file's text gets, for a translation overlay."""
    texts = list(strings(source.data))
    return [*unsafe_markup(source), *unfilled_placeholders(source, texts), *text_limit_problems(source, texts)]


def _read_all(files: list[Path], read: Any) -> dict[str, Any]:
    items = (read(f) for f in files)
    return {item.id: item for item in items if item is not None}


def _with_family_audience(module: Module, program: Program) -> Module:
    family = program.families.get(module.family)
    if module.audience is None:
        return module.model_copy(update={"audience": family.audience if family else "participants"})
    return module


# --- pydantic errors → author-friendly diagnostics -----------------------------------


def validation_diagnostics(source: SourceFile, model: type[BaseModel], exc: ValidationError) -> Iterator[Diagnostic]:
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        if kind == "missing":
            name = loc[-1]
            yield source.diagnostic(loc[:-1], f"missing required field `{name}`", f"add `{name}:` to {_where(loc[:-1])}")
        elif kind == "extra_forbidden":
            name = str(loc[-1])
            known = known_fields(model, loc[:-1])
            yield source.diagnostic(loc, f"unknown field `{name}` in {_where(loc[:-1])}", _suggest(name, known, "known fields"),
                                    key=True)
        else:
            message, hint = _describe(error)
            yield source.diagnostic(loc, f"`{_dotted(loc)}` {message}", hint)


def _describe(error: Any) -> tuple[str, str]:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if value is None and kind.endswith("_type"):
        return "is empty", "give it a value or remove the line"
    if kind == "string_too_short" and value == "":
        return "is empty", "give it a value or remove the line"
    if kind == "string_type":
        return "should be text", "put the value in quotes" if isinstance(value, (int, float, bool)) else ""
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "should be a whole number", ""
    if kind == "list_type":
        return "should be a list", "put each item on its own line starting with `- `, or write [a, b]"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "should be a mapping of `name: value` fields", ""
    if kind.startswith("date"):
        return "should be a date", "write it as YYYY-MM-DD, e.g. 2026-11-01"
    if kind == "literal_error":
        return f"should be {ctx.get('expected', 'one of the allowed values')}", ""
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == PHONE_PATTERN:
        return "is not a machine-readable number", 'digits only, with an optional leading +, in quotes: e.g. "988"'
    if kind == "string_pattern_mismatch" and str(ctx.get("pattern", "")).startswith("^https?"):
        return "is not a web address", "start it with https://"
    if kind == "string_pattern_mismatch":
        return "is not a valid id", "use lower-case letters, digits and single hyphens, e.g. paced-breathing"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length', 1)} item(s)", ""
    if kind == "too_long":
        return f"has too many items (at most {ctx.get('max_length')})", ""
    if kind == "union_tag_invalid":
        return f"has unknown type `{ctx.get('tag')}`", f"use one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return "needs a `type`", "e.g. `type: text`"
    if kind == "value_error":
        return "is not valid: " + str(error["msg"]).removeprefix("Value error, "), ""
    return str(error["msg"]).lower(), ""


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "file"


def _where(loc: tuple[Any, ...]) -> str:
    return f"`{_dotted(loc)}`" if loc else "the file"


def _suggest(name: str, known: list[str], what: str) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    if not known:
        return ""
    known = sorted(known)
    shown = ", ".join(known[:12]) + (f" … and {len(known) - 12} more" if len(known) > 12 else "")
    return f"{what}: {shown}"


# --- checks across files -------------------------------------------------------------


def cross_reference_problems(c: Curriculum, unreadable: set[str] = frozenset()) -> Iterator[Diagnostic]:
    """References between files that point nowhere. Ids in `unreadable` belong to files that
    exist but failed to load; their own error is already reported, so references to them are not."""
    families = list(c.program.families)
    track_ids = list(c.tracks)
    for module in c.modules.values():
        src = c.source("module", module.id)
        if module.family not in c.program.families:
            yield src.diagnostic(("family",), f"unknown family `{module.family}`",
                                 _suggest(module.family, families, "families in program.yml"))
        if module.tracks != "all":
            for i, track_id in enumerate(module.tracks):
                if track_id not in c.tracks and track_id not in unreadable:
                    yield src.diagnostic(("tracks", i), f"unknown track `{track_id}`", _suggest(track_id, track_ids, "tracks"))
        for track_id in module.variants:
            if track_id not in c.tracks:
                if track_id in unreadable:
                    continue
                yield src.diagnostic(("variants", track_id), f"variant for unknown track `{track_id}`",
                                     _suggest(track_id, track_ids, "tracks"), key=True)
            elif not module.applies_to(track_id):
                yield src.diagnostic(("variants", track_id), f"variant for track `{track_id}`, which this module's "
                                     "`tracks` does not include", f"add `{track_id}` to `tracks`", key=True)
        yield from _worksheet_refs(c, src, module.worksheets, ("worksheets",), unreadable)
        yield from _topic_refs(src, module.covers, ("covers",))
        yield from _reference_track_refs(c, src, module.references, ("references",), unreadable)
        for track_id, variant in module.variants.items():
            yield from _worksheet_refs(c, src, variant.worksheets or [], ("variants", track_id, "worksheets"), unreadable)
            yield from _topic_refs(src, variant.covers or [], ("variants", track_id, "covers"))
            yield from _reference_track_refs(c, src, variant.references or [], ("variants", track_id, "references"),
                                             unreadable)

    for track in c.tracks.values():
        src = c.source("track", track.id)
        yield from schedule_date_problems(track, src)
        for w, week in enumerate(track.weeks):
            for s, session in enumerate(week.sessions):
                at = ("weeks", w, "sessions", s)
                module = c.modules.get(session.module)
                if module is None:
                    if session.module in unreadable:
                        continue
                    yield src.diagnostic(at + ("module",), f"unknown module `{session.module}`",
                                         _suggest(session.module, list(c.modules), "known modules"))
                elif not module.applies_to(track.id):
                    yield src.diagnostic(at + ("module",), f"module `{module.id}` is not written for track `{track.id}`",
                                         f"add `{track.id}` to `tracks` in {c.source('module', module.id).path}")
                yield from _worksheet_refs(c, src, session.worksheets or [], at + ("worksheets",), unreadable)


def _worksheet_refs(c: Curriculum, src: SourceFile, ids: list[str], at: tuple[Any, ...],
                    unreadable: set[str]) -> Iterator[Diagnostic]:
    for i, worksheet_id in enumerate(ids):
        if worksheet_id not in c.worksheets and worksheet_id not in unreadable:
            yield src.diagnostic(at + (i,), f"unknown worksheet `{worksheet_id}`",
                                 _suggest(worksheet_id, list(c.worksheets), "known worksheets"))


def _topic_refs(src: SourceFile, topics: list[str], at: tuple[Any, ...]) -> Iterator[Diagnostic]:
    known = list(builtin_rules().safety_topics)
    for i, topic in enumerate(topics):
        if topic not in known:
            yield src.diagnostic(at + (i,), f"unknown safety topic `{topic}`", _suggest(topic, known, "safety topics"))


def _reference_track_refs(c: Curriculum, src: SourceFile, references: list[Any], at: tuple[Any, ...],
                          unreadable: set[str]) -> Iterator[Diagnostic]:
    for i, reference in enumerate(references):
        if isinstance(reference, Reference):
            for j, track_id in enumerate(reference.tracks or []):
                if track_id not in c.tracks and track_id not in unreadable:
                    yield src.diagnostic(at + (i, "tracks", j), f"unknown track `{track_id}`",
                                         _suggest(track_id, list(c.tracks), "tracks"))


def unsafe_markup(source: SourceFile) -> Iterator[Diagnostic]:
    """Raw HTML, attribute lists, images and links that are not allowed, in any text of the file;
    and characters that names and titles may not hold."""
    for path, text in strings(source.data):
        plain = plain_value_problem(path[-1] if path else None, text)
        for problem in ([plain] if plain else []) + list(markup_problems(text)):
            yield source.diagnostic_at_text(path, text, problem.needle, problem.message, problem.hint)


def strings(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every non-blank text in plain data, with its path (keys and list indexes)."""
    if isinstance(data, str):
        if data.strip():
            yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, path + (i,))

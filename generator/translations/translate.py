"""The curriculum in another language: every item with its overlay's text in place.

The translated curriculum has the same types as the source one, so it tailors, renders and
lints like any other; its `sources` point at the overlays, so findings in translated text are
reported at the translation's own lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterator, Optional

from pydantic import BaseModel, ValidationError

from ..diagnostics import CurriculumError, Diagnostic
from ..load import Curriculum, validation_diagnostics
from ..model import TranslationSettings
from .fields import Path, translatable_leaves
from .overlays import Overlay

Item = tuple[str, str]  # (kind, id)


@dataclass(frozen=True)
class Translation:
    language: str
    settings: TranslationSettings
    curriculum: Curriculum  # same types, text replaced; `program.language` is the translation's
    untranslated: dict[Item, list[Path]] = field(default_factory=dict)  # fields shown in the source language
    awaiting_review: frozenset[Item] = frozenset()  # translated items without `reviewed_by` and `reviewed_on`

    def falls_back(self, kind: str, item_id: str) -> bool:
        """Whether a page made from this item shows some text in the source language."""
        return bool(self.untranslated.get((kind, item_id)))

    def awaits_review(self, kind: str, item_id: str) -> bool:
        return (kind, item_id) in self.awaiting_review


def published_items(curriculum: Curriculum, track_ids: list[str]) -> list[Item]:
    """The program, the tracks and every module and worksheet that the tracks' pages show."""
    items: dict[Item, None] = {("program", "program"): None}
    for track_id in track_ids:
        track = curriculum.tracks.get(track_id)
        if track is None:
            continue
        items[("track", track_id)] = None
        for week in track.weeks:
            for session in week.sessions:
                module = curriculum.modules.get(session.module)
                if module is None:
                    continue
                items[("module", module.id)] = None
                variant = module.variants.get(track_id)
                worksheet_ids = [*module.worksheets, *(variant.worksheets or [] if variant else []),
                                 *(session.worksheets or [])]
                items.update((("worksheet", w), None) for w in worksheet_ids if w in curriculum.worksheets)
    return list(items)


def required_fields(curriculum: Curriculum, item: Item, track_ids: list[str]) -> Iterator[tuple[Path, str]]:
    """The source texts of `item` a translation for `track_ids` is expected to cover."""
    kind, _ = item
    for path, text in translatable_leaves(kind, curriculum.source(*item).data):
        if path[0] == "variants" and path[1] not in track_ids:
            continue
        yield path, text


def translate(curriculum: Curriculum, language: str) -> Translation:
    """The curriculum in `language`; raises CurriculumError where an overlay's text does not fit
    the schema (e.g. a crisis `how` that does not read mid-sentence)."""
    settings = curriculum.program.translations[language]
    untranslated: dict[Item, list[Path]] = {}
    awaiting: set[Item] = set()
    for item in published_items(curriculum, settings.tracks):
        overlay = curriculum.overlays.get((language, *item))
        missing = [path for path, _ in required_fields(curriculum, item, settings.tracks)
                   if overlay is None or path not in overlay.texts]
        if missing:
            untranslated[item] = missing
        if overlay is not None and not overlay.reviewed:
            awaiting.add(item)

    problems: list[Diagnostic] = []

    def translated(kind: str, model: BaseModel, item_id: str) -> Any:
        overlay = curriculum.overlays.get((language, kind, item_id))
        return model if overlay is None else _with_texts(model, overlay, problems)

    program = translated("program", curriculum.program, "program")
    if not problems:
        program = program.model_copy(update={"language": language, "translations": {}})
    result = replace(
        curriculum,
        program=program,
        tracks={i: translated("track", t, i) for i, t in curriculum.tracks.items()},
        modules={i: translated("module", m, i) for i, m in curriculum.modules.items()},
        worksheets={i: translated("worksheet", w, i) for i, w in curriculum.worksheets.items()},
        sources={**curriculum.sources, **{(o.kind, o.item_id): o.file for o in curriculum.overlays.values()
                                          if o.language == language}},
        overlays={},
    )
    if problems:
        raise CurriculumError(problems)
    return Translation(language, settings, result, untranslated, frozenset(awaiting))


def _with_texts(model: BaseModel, overlay: Overlay, problems: list[Diagnostic]) -> Any:
    data = model.model_dump(exclude_unset=True)  # a variant must not gain every field as an explicit None
    for path, text in overlay.texts.items():
        _put(data, path, text)
    try:
        return type(model).model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_diagnostics(overlay.file, type(model), exc))
        return model


def _put(data: Any, path: Path, text: str) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = text


def translations(curriculum: Curriculum) -> dict[str, Translation]:
    """Every declared language's translation (raises CurriculumError as `translate` does)."""
    found: dict[str, Translation] = {}
    problems: list[Diagnostic] = []
    for language in curriculum.program.translations:
        try:
            found[language] = translate(curriculum, language)
        except CurriculumError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise CurriculumError(problems)
    return found


def translation_for(curriculum: Curriculum, language: str) -> Optional[Translation]:
    return translate(curriculum, language) if language in curriculum.program.translations else None

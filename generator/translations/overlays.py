"""Finding `<stem>.<lang>.yml` translation overlays and checking each against its source file.

An overlay has its source's structure but holds only reader-facing text (see `fields`). Every
problem is a located diagnostic in the overlay, like any other file's.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from ..diagnostics import Diagnostic
from ..model import Program
from ..source import SourceFile, YamlProblem, read_yaml
from .fields import RESERVED, Path as DataPath, is_text_key, may_add, text_leaves

_OVERLAY_NAME = re.compile(r"^(?P<stem>[^.]+)\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z]{2,4})?)$")
_HASH = re.compile(r"^[0-9a-f]{12}$")
OverlayKey = tuple[str, str, str]  # (language, kind, item id)


def overlay_language(file: Path) -> Optional[str]:
    """The language of `file` if its name is `<stem>.<lang>.yml`, else None."""
    if file.suffix not in (".yml", ".yaml"):
        return None
    match = _OVERLAY_NAME.match(file.stem)
    return match["lang"] if match else None


def is_overlay_file(file: Path) -> bool:
    return overlay_language(file) is not None


@dataclass(frozen=True)
class Overlay:
    """One translation file, checked against the file it translates."""

    language: str
    kind: str  # program, track, module or worksheet
    item_id: str
    file: SourceFile  # the overlay itself, with positions
    source: SourceFile  # the file it translates
    texts: dict[DataPath, str] = field(default_factory=dict)  # translated text by path in the source
    hashes: dict[str, str] = field(default_factory=dict)  # `source_hashes`: dotted path → hash
    reviewed_by: Optional[str] = None
    reviewed_on: Optional[datetime.date] = None

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewed_by) and self.reviewed_on is not None

    @property
    def key(self) -> OverlayKey:
        return (self.language, self.kind, self.item_id)


def overlay_files(root: Path) -> list[Path]:
    candidates = list(root.glob("program.*"))
    for folder, pattern in (("tracks", "*"), ("modules", "**/*"), ("worksheets", "*")):
        candidates += (root / folder).glob(pattern)
    return sorted(p for p in candidates if p.is_file() and is_overlay_file(p))


def read_overlays(root: Path, program: Program, sources: dict[tuple[str, str], SourceFile],
                  file_checks: Callable[[SourceFile], Iterable[Diagnostic]]
                  ) -> tuple[dict[OverlayKey, Overlay], list[Diagnostic]]:
    """Every overlay under `root`, checked; `file_checks` are the loader's own text checks
    (markup, placeholders, lengths), run on each overlay as on any file."""
    by_path = {source.path: key for key, source in sources.items()}
    overlays: dict[OverlayKey, Overlay] = {}
    problems: list[Diagnostic] = []
    for file in overlay_files(root):
        overlay = _read_overlay(root, file, program, sources, by_path, problems)
        if overlay is not None:
            problems.extend(file_checks(overlay.file))
            overlays[overlay.key] = overlay
    return overlays, problems


def _read_overlay(root: Path, file: Path, program: Program, sources: dict[tuple[str, str], SourceFile],
                  by_path: dict[str, tuple[str, str]], problems: list[Diagnostic]) -> Optional[Overlay]:
    shown_as = file.relative_to(root.parent).as_posix()
    language = overlay_language(file)
    assert language is not None
    try:
        overlay_file = read_yaml(file, shown_as)
    except YamlProblem as problem:
        problems.append(problem.diagnostic)
        return None
    except OSError as exc:
        problems.append(Diagnostic(shown_as, 1, 1, f"cannot read file: {exc.strerror}"))
        return None
    declared = ", ".join(f"`{lang}`" for lang in program.translations) or "none"
    if language == program.language:
        problems.append(Diagnostic(shown_as, 1, 1, f"a translation into `{language}`, the language the curriculum "
                                   "is written in", "remove this file, or set `language:` in program.yml"))
        return None
    if language not in program.translations:
        problems.append(Diagnostic(shown_as, 1, 1, f"a translation into `{language}`, which program.yml does not "
                                   f"declare (declared: {declared})",
                                   f"add `translations: {{{language}: {{tracks: [...]}}}}` to program.yml, "
                                   "or remove this file"))
        return None
    stem = _OVERLAY_NAME.match(file.stem)["stem"]  # type: ignore[index]
    source_paths = [(file.parent / f"{stem}{suffix}").relative_to(root.parent).as_posix() for suffix in (".yml", ".yaml")]
    item = next((by_path[p] for p in source_paths if p in by_path), None)
    if item is None:
        problems.append(Diagnostic(shown_as, 1, 1, f"no source file `{source_paths[0]}` for this translation "
                                   "(or it failed to load)",
                                   "name a translation after the file it translates: <stem>.<lang>.yml beside <stem>.yml"))
        return None
    if not isinstance(overlay_file.data, dict):
        problems.append(overlay_file.diagnostic((), "expected a mapping of `name: value` fields at the top of the file"))
        return None
    kind, item_id = item
    source = sources[item]
    found = list(structure_problems(kind, overlay_file, source.data))
    reserved = _reserved(overlay_file, found)
    problems.extend(found)
    if found:
        return None
    texts = {path: text for path, text in text_leaves(kind, _without_reserved(overlay_file.data))}
    return Overlay(language, kind, item_id, overlay_file, source, texts, **reserved)


def _without_reserved(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in RESERVED}


# --- the overlay against its source ----------------------------------------------------------


def structure_problems(kind: str, overlay: SourceFile, source_data: Any) -> Iterator[Diagnostic]:
    """Keys the source does not have, keys that are not text, lists of another length, values
    of another shape: everything that keeps the overlay from lining up with its source."""
    yield from _compare(kind, overlay, _without_reserved(overlay.data), source_data, ())


def _compare(kind: str, overlay: SourceFile, value: Any, source: Any, path: DataPath) -> Iterator[Diagnostic]:
    where = f"`{'.'.join(map(str, path))}`" if path else "the file"
    if isinstance(source, dict):
        if not isinstance(value, dict):
            yield overlay.diagnostic(path, f"{where} should be a mapping of `name: value` fields, as in the source",
                                     f"see {_source_line(overlay, path)}")
            return
        for key, item in value.items():
            at = path + (key,)
            text_keys = [k for k in source if is_text_key(kind, path, str(k))]
            if key not in source and may_add(kind, path, str(key)):
                yield from _compare(kind, overlay, item, "", at)
            elif key not in source:
                close = difflib.get_close_matches(str(key), [str(k) for k in text_keys], n=1, cutoff=0.6)
                hint = f"did you mean `{close[0]}`?" if close else \
                    ("the source has: " + ", ".join(f"`{k}`" for k in text_keys) if text_keys else
                     "this part of the source has no text to translate")
                yield overlay.diagnostic(at, f"`{key}` is not in the source file", hint, key=True)
            elif not is_text_key(kind, path, str(key)) or not list(text_leaves(kind, source[key], at)):
                yield overlay.diagnostic(at, f"`{key}` is not text a reader sees, so it is not translated",
                                         "leave it out: the translation takes it from the source file", key=True)
            else:
                yield from _compare(kind, overlay, item, source[key], at)
    elif isinstance(source, list):
        if not isinstance(value, list):
            yield overlay.diagnostic(path, f"{where} should be a list, as in the source", "translate each item in order")
            return
        if len(value) != len(source):
            yield overlay.diagnostic(path, f"{where} has {len(value)} item(s); the source has {len(source)}",
                                     "translate every item, in the source's order; write {} for an item with "
                                     "nothing to translate")
            return
        for index, (item, source_item) in enumerate(zip(value, source)):
            if isinstance(source_item, dict) and item == {}:
                continue
            yield from _compare(kind, overlay, item, source_item, path + (index,))
    elif isinstance(source, str):
        if not isinstance(value, str):
            yield overlay.diagnostic(path, f"{where} should be text", "put the translated text in quotes")
        elif not value.strip():
            yield overlay.diagnostic(path, f"{where} is empty", "translate it, or leave the key out")
        else:
            yield from _kept_verbatim(overlay, path, value, source)


_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_MODULE_TARGET = re.compile(r"\]\(\s*(module:[^)\s]*)\s*\)")


def _kept_verbatim(overlay: SourceFile, path: DataPath, text: str, source: str) -> Iterator[Diagnostic]:
    """A translation keeps the source's `{{ … }}` values (crisis help, track variables) and its
    links to other modules: dropping one would drop, say, how to reach the crisis line."""
    for pattern, what, shown in ((_PLACEHOLDER, "value", "{{{{ {} }}}}"), (_MODULE_TARGET, "module link", "({})")):
        wanted, written = set(pattern.findall(source)), set(pattern.findall(text))
        for missing in sorted(wanted - written):
            yield overlay.diagnostic(path, f"the translation of `{'.'.join(map(str, path))}` leaves out the {what} "
                                     f"`{shown.format(missing)}` that the source has",
                                     "keep every {{ … }} value and module: link of the source, written as in the source")
        for extra in sorted(written - wanted):
            yield overlay.diagnostic(path, f"the translation of `{'.'.join(map(str, path))}` adds the {what} "
                                     f"`{shown.format(extra)}`, which the source does not have",
                                     "use the same {{ … }} values and module: links as the source")


def _source_line(overlay: SourceFile, path: DataPath) -> str:
    return f"the source's `{'.'.join(map(str, path))}`" if path else "the source file"


def _reserved(overlay: SourceFile, problems: list[Diagnostic]) -> dict[str, Any]:
    """`translation:` (who reviewed it, when) and `source_hashes:` (written by --stamp)."""
    data = overlay.data
    result: dict[str, Any] = {"hashes": {}, "reviewed_by": None, "reviewed_on": None}
    review = data.get("translation")
    if review is not None:
        if not isinstance(review, dict):
            problems.append(overlay.diagnostic(("translation",), "`translation` should hold `reviewed_by` and "
                                               "`reviewed_on`", "e.g. reviewed_by: Ana Pérez, LCSW"))
        else:
            for key, value in review.items():
                at = ("translation", key)
                if key == "reviewed_by" and isinstance(value, str) and value.strip():
                    result["reviewed_by"] = value.strip()
                elif key == "reviewed_on" and isinstance(value, datetime.date):
                    result["reviewed_on"] = value
                elif key == "reviewed_on":
                    problems.append(overlay.diagnostic(at, "`translation.reviewed_on` should be a date",
                                                       "write it as YYYY-MM-DD, e.g. 2026-12-01"))
                elif key == "reviewed_by":
                    problems.append(overlay.diagnostic(at, "`translation.reviewed_by` should be a name",
                                                       "e.g. reviewed_by: Ana Pérez, LCSW"))
                else:
                    problems.append(overlay.diagnostic(at, f"unknown field `{key}` in `translation`",
                                                       "known fields: reviewed_by, reviewed_on", key=True))
    hashes = data.get("source_hashes")
    if hashes is not None:
        if not isinstance(hashes, dict) or not all(isinstance(v, str) and _HASH.match(v) for v in hashes.values()):
            problems.append(overlay.diagnostic(("source_hashes",), "`source_hashes` is not as `psychoed translations "
                                               "--stamp` writes it", "remove the block and run `psychoed translations "
                                               "--stamp` on this file"))
        else:
            result["hashes"] = {str(k): v for k, v in hashes.items()}
    return result

"""Every word Psychoed itself writes, per language: one flat catalogue per language under
`generator/locales/<lang>.yml` (keys such as `module.key_points`, placeholders such as `{n}`).

English is the reference: every other catalogue must hold every English key, so a missing
translation stops the build instead of leaving an English word on a Spanish page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Sequence

import yaml

LOCALES = Path(__file__).parent / "locales"
REFERENCE_LANGUAGE = "en"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class LocaleError(Exception):
    """A catalogue is missing, malformed or lacks keys the English one has."""


@dataclass(frozen=True)
class Catalogue:
    language: str
    words: dict[str, str]

    def text(self, key: str, **values: object) -> str:
        """The words for `key`, with each `{name}` replaced by `values[name]`."""
        try:
            template = self.words[key]
        except KeyError:
            raise LocaleError(f"the `{self.language}` catalogue has no key `{key}`") from None

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                raise LocaleError(f"`{key}` in the `{self.language}` catalogue needs a value for {{{name}}}")
            return str(values[name])

        return _PLACEHOLDER.sub(fill, template)

    def spoken_list(self, items: Sequence[object]) -> str:
        """'2', '2 and 4', '1, 3 and 4': a list as a sentence says it."""
        words = [str(item) for item in items]
        if len(words) < 2:
            return "".join(words)
        return self.text("list.last_two", first=", ".join(words[:-1]), last=words[-1])

    def __call__(self, key: str, **values: object) -> str:
        return self.text(key, **values)


def available_languages() -> list[str]:
    return sorted(p.stem for p in LOCALES.glob("*.yml"))


@cache
def catalogue(language: str) -> Catalogue:
    """The catalogue of `language`; LocaleError when it does not exist or lacks an English key."""
    words = _read(language)
    if language != REFERENCE_LANGUAGE:
        missing = sorted(set(_read(REFERENCE_LANGUAGE)) - set(words))
        if missing:
            raise LocaleError(f"generator/locales/{language}.yml lacks {len(missing)} key(s) of en.yml: "
                              + ", ".join(missing))
    return Catalogue(language, words)


def _read(language: str) -> dict[str, str]:
    path = LOCALES / f"{language}.yml"
    if not path.is_file():
        raise LocaleError(f"Psychoed has no interface words for language `{language}`; "
                          f"it has: {', '.join(available_languages())}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise LocaleError(f"{path}: expected flat `key: text` pairs")
    return data


def css_counters(words: str) -> str:
    """A CSS `content` value from words holding {page} and {pages}: "Page {page} of {pages}" →
    `"Page " counter(page) " of " counter(pages)`."""
    parts: list[str] = []
    for i, piece in enumerate(re.split(r"\{(page|pages)\}", words)):
        if i % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(parts)

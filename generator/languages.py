"""The interface languages the site theme can show, checked in `program.yml` before a build.

mkdocs-material translates its interface (search box, navigation labels) from one template per
language; a `language` it has no template for makes every MkDocs build fail, long after
`psychoed check` said the curriculum was fine. So check asks the installed theme.
"""

from __future__ import annotations

import difflib
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from .diagnostics import Diagnostic
from .load import Curriculum


@cache
def theme_languages() -> frozenset[str]:
    """Language codes with a translation in the installed mkdocs-material (empty if it is absent)."""
    spec = find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    folder = Path(list(spec.submodule_search_locations)[0]) / "templates" / "partials" / "languages"
    return frozenset(p.stem for p in folder.glob("*.html") if p.stem != "custom")


def language_problems(curriculum: Curriculum) -> list[Diagnostic]:
    language = curriculum.program.language
    known = theme_languages()
    if not known or language in known:
        return []
    close = difflib.get_close_matches(language, sorted(known), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(f'`{c}`' for c in close)}?" if close else \
        "use a language code such as en, es, fr, de, zh or pt-BR"
    source = curriculum.source("program", "program")
    return [source.diagnostic(("language",), f"unknown interface language `{language}`", hint)]

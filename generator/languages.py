"""The interface languages the site theme can show, checked in `program.yml` before a build.

mkdocs-material translates its interface (search box, navigation labels) from one template per
language; a `language` it has no template for makes every MkDocs build fail, long after
`psychoed check` said the curriculum was fine. So check asks the installed theme.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
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
    """`language:` in program.yml must be one that both the theme and Psychoed's own catalogues
    (generator/locales/) can write: every page and PDF is made of their words."""
    from .locales import available_languages

    language = curriculum.program.language
    known, written = theme_languages(), available_languages()
    if language in written and (not known or language in known):
        return []
    close = difflib.get_close_matches(language, written, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(f'`{c}`' for c in close)}?" if close else \
        f"Psychoed writes its pages and handouts in: {', '.join(written)}"
    message = (f"unknown interface language `{language}`" if known and language not in known
               else f"Psychoed has no interface words for `{language}`")
    source = curriculum.source("program", "program")
    return [source.diagnostic(("language",), message, hint)]


def translation_problems(curriculum: Curriculum) -> list[Diagnostic]:
    """`translations:` in program.yml that no build could publish: a language without Psychoed's
    interface words or the theme's, a track that does not exist, a track id that is also a
    language folder (OUT/es/ holds the Spanish tracks), and crisis help that does not fit the
    handouts' footer in that language."""
    from .diagnostics import CurriculumError
    from .translations.translate import translate
    from .locales import available_languages
    from .page_layout import footer_problems

    source = curriculum.source("program", "program")
    problems: list[Diagnostic] = []
    known = theme_languages()
    for language, translation in curriculum.program.translations.items():
        at = ("translations", language)
        if language not in available_languages() or (known and language not in known):
            problems.append(source.diagnostic(at, f"Psychoed cannot publish in `{language}`: it has no interface words "
                                              "for it", f"languages with words: {', '.join(available_languages())}",
                                              key=True))
            continue
        if language == curriculum.program.language:
            problems.append(source.diagnostic(at, f"`{language}` is the language the curriculum is written in",
                                              "list only the other languages it is translated into", key=True))
        for i, track_id in enumerate(translation.tracks):
            if track_id not in curriculum.tracks:
                close = difflib.get_close_matches(track_id, list(curriculum.tracks), n=1)
                problems.append(source.diagnostic((*at, "tracks", i), f"unknown track `{track_id}`",
                                                  f"did you mean `{close[0]}`?" if close else
                                                  f"tracks: {', '.join(curriculum.tracks)}"))
        if language in curriculum.tracks:
            problems.append(source.diagnostic(at, f"track `{language}` has the name of the folder the `{language}` "
                                              "edition is published in", "rename the track", key=True))
        try:
            translated = translate(curriculum, language).curriculum.program
        except CurriculumError as exc:
            problems.extend(exc.diagnostics)
            continue
        # The handouts' footer carries the crisis help in the edition's language: it must fit too.
        where = source.diagnostic(("crisis",), "", key=True)
        problems.extend(replace(problem, message=f"in `{language}`: {problem.message}")
                        for problem in footer_problems(translated, where,
                                                       large_print=curriculum.program.handouts.large_print))
    return problems

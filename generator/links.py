"""Links in curriculum text: to another module by id, or to the web.

An author links to another module as `[Grounding](module:grounding)`. Each track's site turns
that into a link to its own page of the module, or into the plain words `Grounding` where the
track does not schedule that module (and so has no such page); printed handouts show the words.
Any other link that is not a web address, e-mail, phone number or anchor on the same page
(`foo.md`, `../x`) would point at a file that the generated site does not have: `check` reports it
at its line.
"""

from __future__ import annotations

import difflib
import re
from typing import Callable, Iterator, Optional

from .diagnostics import Diagnostic
from .load import Curriculum, strings
from .source import SourceFile

MODULE_SCHEME = "module:"
# Inline links and images, [words](target "title"), and reference definitions, [name]: target.
_INLINE_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REFERENCE_TARGET = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)>?", re.MULTILINE)
_MODULE_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\(\s*module:([^)\s]*)\s*\)")
# Targets that leave the generated site, or stay on the same page. Script links are refused by
# `load.unsafe_markup` already, so they are not reported twice here.
_FINE_TARGETS = re.compile(r"^(?:https?://|mailto:|tel:|sms:|#)", re.IGNORECASE)
_SCRIPT_TARGETS = re.compile(r"^(?:javascript|data|vbscript):", re.IGNORECASE)

ModuleTarget = Callable[[str], Optional[str]]  # module id → where a link to it goes, or None for plain words


def link_targets(text: str) -> Iterator[str]:
    for pattern in (_INLINE_TARGET, _REFERENCE_TARGET):
        for match in pattern.finditer(text):
            yield match.group(1)


def link_problems(curriculum: Curriculum) -> Iterator[Diagnostic]:
    """Links to unknown modules, and relative links, in every file of the curriculum."""
    for source in curriculum.sources.values():
        yield from _problems_in(source, list(curriculum.modules))


def _problems_in(source: SourceFile, module_ids: list[str]) -> Iterator[Diagnostic]:
    for path, text in strings(source.data):
        for target in link_targets(text):
            if target.startswith(MODULE_SCHEME):
                module_id = target[len(MODULE_SCHEME):]
                if module_id not in module_ids:
                    yield source.diagnostic_at_text(path, text, target, f"link to unknown module `{module_id}`",
                                                    _closest(module_id, module_ids))
            elif not _FINE_TARGETS.match(target) and not _SCRIPT_TARGETS.match(target):
                yield source.diagnostic_at_text(
                    path, text, target,
                    f"link to `{target}`, which is not a module or a web address",
                    "link to another module by its id, as [Grounding](module:grounding), "
                    "or to a web page with its full address (https://…)")


def _closest(module_id: str, module_ids: list[str]) -> str:
    close = difflib.get_close_matches(module_id, module_ids, n=1, cutoff=0.6)
    if close:
        return f"did you mean `module:{close[0]}`?"
    return "write the module's id (its file name without .yml), as [Grounding](module:grounding)"


def resolve_module_links(text: str, target_of: ModuleTarget) -> str:
    """Markdown with every `[words](module:id)` made a link to `target_of(id)`, or plain words."""

    def replace(match: re.Match[str]) -> str:
        words, module_id = match.group(1), match.group(2)
        target = target_of(module_id)
        return f"[{words}]({target})" if target else words

    return _MODULE_LINK.sub(replace, text)


def module_link_words(text: str) -> str:
    """Markdown with every `[words](module:id)` made plain words (for print)."""
    return resolve_module_links(text, lambda _module_id: None)

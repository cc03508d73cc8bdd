"""Values in curriculum text: `{{ track.vars.NAME }}`, `{{ program.name }}`, `{{ crisis.line.how }}` …

Curriculum text is untrusted, so it is not a template language: the only thing it may hold
between `{{` and `}}` is the dotted name of one value in the context mapping. No filters, tests,
calls, operators, literals, loops, blocks, comments or includes: each is a located error. A value
is put in as it is and never read again for `{{`, so substitution cannot loop or grow beyond
the text plus its values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Union

# Anything that a template language would treat as its own: `{{ … }}`, `{% … %}`, `{# … #}`.
TEMPLATE_MARK = re.compile(r"\{[{%#]")
_DOTTED_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_VALUE_TYPES = (str, int, float)

NAME_HINT = "write a value's name alone, such as {{ track.vars.NAME }} or {{ program.name }}"


@dataclass(frozen=True)
class TextProblem:
    """What is wrong with one text, and the piece of it (`needle`) the diagnostic points at."""

    needle: str
    message: str
    hint: str


@dataclass(frozen=True)
class Undefined:
    """A well-formed name that the context does not have."""

    name: str  # the whole dotted name
    missing: str  # the first step that is not there


Outcome = Union[str, TextProblem, Undefined]


def substitute(text: str, context: Mapping[str, Any]) -> Outcome:
    """`text` with every `{{ name }}` replaced by its value, or the first thing wrong with it."""
    if not TEMPLATE_MARK.search(text):
        return text
    pieces: list[str] = []
    position = 0
    for mark in TEMPLATE_MARK.finditer(text):
        if mark.start() < position:
            continue  # inside a placeholder already read
        opener = mark.group(0)
        if opener != "{{":
            return _block_or_comment(text, mark.start(), opener)
        close = text.find("}}", mark.end())
        if close < 0:
            return TextProblem(text[mark.start():mark.start() + 40].split("\n")[0],
                               "template syntax error in text: `{{` is not closed by `}}`", NAME_HINT)
        placeholder = text[mark.start():close + 2]
        expression = text[mark.end():close].strip()
        value = _value(expression, placeholder, context)
        if not isinstance(value, str):
            return value
        pieces += [text[position:mark.start()], value]
        position = close + 2
    pieces.append(text[position:])
    return "".join(pieces)


def known_names(context: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Every dotted name that `{{ … }}` may hold for this context."""
    names: list[str] = []
    for key, value in context.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            names += known_names(value, f"{name}.")
        elif isinstance(value, _VALUE_TYPES) and not isinstance(value, bool):
            names.append(name)
    return names


def _value(expression: str, placeholder: str, context: Mapping[str, Any]) -> Union[str, TextProblem, Undefined]:
    if not _DOTTED_NAME.fullmatch(expression):
        return TextProblem(placeholder, f"template syntax error in text: {_what_it_is(expression)} "
                                        f"`{_shorten(placeholder)}` is not allowed", NAME_HINT)
    node: Any = context
    for step in expression.split("."):
        if not isinstance(node, Mapping) or step not in node:
            return Undefined(expression, step)
        node = node[step]
    if isinstance(node, Mapping):
        return TextProblem(placeholder, f"`{expression}` is a group of values, not one value",
                           f"name one of them, e.g. {{{{ {expression}.{next(iter(node), 'NAME')} }}}}")
    if isinstance(node, bool) or not isinstance(node, _VALUE_TYPES):
        return TextProblem(placeholder, f"`{expression}` is not a text value", NAME_HINT)
    return str(node)


def _what_it_is(expression: str) -> str:
    """A name for what an author wrote instead of a plain value name, for the message."""
    if not expression:
        return "an empty placeholder"
    if "|" in expression:
        return "a filter"
    if "(" in expression:
        return "a call"
    if expression[0] in "'\"" or expression[0].isdigit():
        return "a literal"
    if re.search(r"\bis\b", expression):
        return "a test"
    if "[" in expression:
        return "an index"
    return "an expression"


def _block_or_comment(text: str, start: int, opener: str) -> TextProblem:
    kind = "template blocks ({% … %}: loops, conditions, includes)" if opener == "{%" else "template comments ({# … #})"
    return TextProblem(text[start:start + 40].split("\n")[0], f"{kind} are not allowed in curriculum text",
                       "text may only use values, such as {{ track.vars.NAME }}; write the words out instead")


def _shorten(placeholder: str) -> str:
    flat = " ".join(placeholder.split())
    return flat if len(flat) <= 60 else flat[:57] + "…"

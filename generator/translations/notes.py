"""The two notes a translated page shows: its translation awaits clinical review, and some of
its text is shown in the source language (a program with `fallback: true`), in the words of
the page's language catalogue (generator/locales/<lang>.yml).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..locales import catalogue

if TYPE_CHECKING:
    from .translate import Translation

NOTE_CLASS = "psy-translation-note"


def page_items(page_path: str, view: Any) -> list[tuple[str, str]]:
    """The curriculum items whose text a page of a track shows (the program's shows on all)."""
    items = [("program", "program"), ("track", view.track.id)]
    for module in view.modules.values():
        if page_path == f"modules/{module.family}/{module.id}.md":
            return [*items, ("module", module.id)]
    for worksheet_id in view.worksheets:
        if page_path == f"worksheets/{worksheet_id}.md":
            return [*items, ("worksheet", worksheet_id)]
    return items


def note_text(translation: Optional["Translation"], items: list[tuple[str, str]]) -> str:
    """The note's plain text, or "" when nothing needs saying (or there is no translation).
    Review is about the last item, the page's own; the fallback note covers every item shown."""
    if translation is None:
        return ""
    words = catalogue(translation.language)
    sentences = []
    if translation.awaits_review(*items[-1]):
        sentences.append(words.text("translation.awaits_review"))
    if any(translation.falls_back(*item) for item in items):
        sentences.append(words.text("translation.partly_untranslated"))
    return " ".join(sentences)


def page_note(translation: "Translation", items: list[tuple[str, str]]) -> str:
    """Markdown for the note (an admonition without a title), or "" when nothing needs saying."""
    text = note_text(translation, items)
    return f'!!! note {NOTE_CLASS} ""\n\n    {text}\n\n' if text else ""


def with_note(markdown: str, note: str) -> str:
    """`markdown` with `note` right after its first `# ` heading (at the top when it has none)."""
    if not note:
        return markdown
    lines = markdown.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "".join(lines[:index + 1]) + "\n" + note + "".join(lines[index + 1:])
    return note + markdown

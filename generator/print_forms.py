"""Fillable worksheet PDFs: the names of their form fields.

WeasyPrint turns each `<input>`/`<textarea>` of the print HTML into a PDF form field (the
`fillable/` field templates make them). A PDF form needs every field's name to be unique in
the document, and people who export the answers read those names, so they are built from
the field's place and label: `q03-what-helped-a-walk`.
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import Worksheet

FILLABLE_DIR = "worksheets/fillable"  # under the track's handouts folder
_NOT_NAME = re.compile(r"[^a-z0-9]+")
MAX_PART = 40


def fillable_worksheet_file(worksheet: Worksheet) -> str:
    return f"{FILLABLE_DIR}/{worksheet.id}.pdf"


def question_name(number: int, label: str) -> str:
    """The name of a worksheet's `number`th field (from 1), e.g. `q03-how-tense-did-you-feel`."""
    return field_name(f"q{number:02d}", label)


def field_name(*parts: object) -> str:
    """Parts joined with hyphens, each lower-cased to letters and digits and shortened."""
    words = [_NOT_NAME.sub("-", str(part).casefold()).strip("-")[:MAX_PART].strip("-") for part in parts]
    return "-".join(word for word in words if word)


def tidy_radio_groups(path: Path) -> None:
    """Make each scale or yes/no one radio-button field, as PDF readers expect.

    WeasyPrint names every button of a radio group like the group and lists it among the
    form's top-level fields, so readers show each button as a field of its own ("q05.q05");
    a button (widget) belongs under its group (/Parent) only. Rewrites the file in place.
    """
    import pikepdf  # only PDFs with form fields need it

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if "/AcroForm" not in pdf.Root:
            return
        form = pdf.Root.AcroForm
        buttons = [field for field in form.Fields if "/Parent" in field]
        for button in buttons:
            for key in ("/T", "/TU"):
                if key in button:
                    del button[key]
        form.Fields = pikepdf.Array([field for field in form.Fields if "/Parent" not in field])
        pdf.save(path)


def has_form_fields(html: str) -> bool:
    return "<input" in html or "<textarea" in html

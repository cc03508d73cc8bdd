"""Fillable worksheets on the site: the form structure of the built pages (real MkDocs builds).

Every control has a label a screen reader announces; radio buttons and checkboxes sit in a
fieldset with a legend; every field type of the model becomes the right controls. What the
browser does with them (typing, saving, clearing, printing) is tested in a browser.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import BUNDLED, REPO, read_page
from generator.load import load_curriculum
from generator.model import Worksheet
from generator.tailor import tailor

CURRICULUM = load_curriculum(BUNDLED)
CONTROLS = ("input", "textarea", "select")
VOID = {"input", "br", "img", "hr", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    fieldsets: list[int]  # indexes into Form.fieldsets, innermost last
    in_worksheet: bool  # one of the worksheet's own fields (or name and date)
    in_controls: bool  # keep / clear / print

    @property
    def type(self) -> str:
        return self.attrs.get("type", "text") if self.tag == "input" else self.tag


@dataclass
class Form:
    """The controls, labels, fieldsets and ids of one page."""

    controls: list[Control] = field(default_factory=list)
    label_for: dict[str, str] = field(default_factory=dict)  # control id → label text
    wrapped: set[int] = field(default_factory=set)  # controls inside a <label>
    fieldsets: list[str] = field(default_factory=list)  # legend text of each fieldset
    ids: Counter = field(default_factory=Counter)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.form = Form()
        self.open: list[tuple[str, dict[str, str]]] = []  # open elements, outermost first
        self.open_fieldsets: list[int] = []
        self.label: tuple[str, list[str]] | None = None
        self.legend: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if "id" in attributes:
            self.form.ids[attributes["id"]] += 1
        if tag == "fieldset":
            self.form.fieldsets.append("")
            self.open_fieldsets.append(len(self.form.fieldsets) - 1)
        elif tag == "legend":
            self.legend = []
        elif tag == "label":
            self.label = (attributes.get("for", ""), [])
        elif tag in CONTROLS:
            classes = {c for _, a in self.open for c in a.get("class", "").split()}
            self.form.controls.append(Control(tag, attributes, list(self.open_fieldsets),
                                              "psy-worksheet" in classes, "psy-controls" in classes))
            if self.label is not None:
                self.form.wrapped.add(len(self.form.controls) - 1)
        if tag not in VOID:
            self.open.append((tag, attributes))

    def handle_endtag(self, tag):
        if tag == "legend" and self.legend is not None and self.open_fieldsets:
            self.form.fieldsets[self.open_fieldsets[-1]] = " ".join("".join(self.legend).split())
            self.legend = None
        elif tag == "label" and self.label is not None:
            target, text = self.label
            if target:
                self.form.label_for[target] = " ".join("".join(text).split())
            self.label = None
        elif tag == "fieldset" and self.open_fieldsets:
            self.open_fieldsets.pop()
        if any(open_tag == tag for open_tag, _ in self.open):
            while self.open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if self.legend is not None:
            self.legend.append(data)
        if self.label is not None:
            self.label[1].append(data)


def parse_form(html: str) -> Form:
    parser = _FormParser()
    parser.feed(html)
    return parser.form


def accessible_name(form: Form, index: int) -> str:
    """The name a screen reader announces for a control: its label, aria-label or aria-labelledby."""
    control = form.controls[index]
    if control.attrs.get("aria-label"):
        return control.attrs["aria-label"]
    labelled_by = control.attrs.get("aria-labelledby", "").split()
    if labelled_by and all(form.ids[i] for i in labelled_by):
        return "(labelled by " + " ".join(labelled_by) + ")"
    if control.attrs.get("id") in form.label_for:
        return form.label_for[control.attrs["id"]]
    return "(wrapped in a label)" if index in form.wrapped else ""


def worksheet_pages(site: Path) -> list[tuple[str, Path]]:
    return [(track_id, page) for track_id in CURRICULUM.tracks
            for page in sorted((site / track_id / "worksheets").glob("*/index.html"))]


def test_every_worksheet_control_has_a_label(bundled_site):
    checked = 0
    for _, path in worksheet_pages(bundled_site / "site"):
        form = parse_form(path.read_text(encoding="utf-8"))
        ours = [(i, c) for i, c in enumerate(form.controls) if c.in_worksheet or c.in_controls]
        assert ours, path
        for index, control in ours:
            assert accessible_name(form, index).strip(), (path, control.attrs)
            checked += 1
    assert checked > 500


def test_choices_sit_in_fieldsets_with_legends_and_ids_are_unique(bundled_site):
    for _, path in worksheet_pages(bundled_site / "site"):
        form = parse_form(path.read_text(encoding="utf-8"))
        duplicates = [i for i, n in form.ids.items() if n > 1]
        assert duplicates == [], path
        for control in form.controls:
            if control.in_worksheet and control.type in ("radio", "checkbox"):
                assert control.fieldsets, (path, control.attrs)
                assert form.fieldsets[control.fieldsets[-1]], (path, "fieldset without a legend")
            if control.type == "radio":
                assert control.attrs.get("name"), (path, control.attrs)


def expected_controls(worksheet: Worksheet) -> Counter:
    """How many controls of each type the worksheet's fields need, with name and date on top."""
    count: Counter = Counter({"text": 1, "date": 1})
    for f in worksheet.fields:
        if f.type == "text":
            count["textarea"] += 1
        elif f.type == "date":
            count["date"] += 1
        elif f.type == "scale":
            count["radio"] += f.max - f.min + 1
        elif f.type == "yesno":
            count["radio"] += 2
        elif f.type == "checklist":
            count["checkbox"] += len(f.options)
        elif f.type == "table":
            count["text"] += len(f.columns) * f.rows
        elif f.type == "list":
            count["text"] += f.items
    return count


@pytest.mark.parametrize("track_id", list(CURRICULUM.tracks))
def test_each_field_becomes_its_controls(bundled_site, track_id):
    view = tailor(CURRICULUM, track_id)
    for worksheet in view.worksheets.values():
        path = bundled_site / "site" / track_id / "worksheets" / worksheet.id / "index.html"
        form = parse_form(path.read_text(encoding="utf-8"))
        in_sheet = [(i, c) for i, c in enumerate(form.controls) if c.in_worksheet]
        assert Counter(c.type for _, c in in_sheet) == expected_controls(worksheet), worksheet.id
        names = [accessible_name(form, i) for i, _ in in_sheet]
        assert names[:2] == ["Name or initials", "Date"], "name and date come first"
        legends = set(form.fieldsets)
        for f in worksheet.fields:
            label = " ".join(f.label.split())
            if f.type in ("text", "date"):
                assert label in names, (worksheet.id, label)
            elif f.type in ("scale", "checklist", "list", "yesno"):
                assert label in legends, (worksheet.id, label)
            elif f.type == "table":
                for column in f.columns:
                    for row in (1, f.rows):
                        assert f"{' '.join(column.split())}, row {row}" in names, (worksheet.id, column, row)
        for i, control in in_sheet:
            if control.tag == "textarea":
                lines = int(control.attrs["rows"])
                assert lines in [f.lines for f in worksheet.fields if f.type == "text"]


def test_new_field_types_on_the_fixture(psychoed, mini, warm_build_dir, tmp_path):
    """`yesno` is a pair of radio buttons in a fieldset; `heading` starts a titled part."""
    out = tmp_path / "site"
    assert psychoed("build", "--curriculum", mini, "--out", out, "--build-dir", tmp_path / "build",
                    "--track", "beta").code == 0
    html = (out / "beta" / "worksheets" / "log" / "index.html").read_text(encoding="utf-8")
    form = parse_form(html)
    assert "Did you practise on most days?" in form.fieldsets
    yes_no = [c for c in form.controls if c.type == "radio" and c.attrs.get("value") in ("yes", "no")]
    assert [form.label_for[c.attrs["id"]] for c in yes_no] == ["Yes", "No"]
    assert len({c.attrs["name"] for c in yes_no}) == 1
    assert re.search(r'<h2 class="psy-part__title"[^>]*>Looking back</h2>', html)
    text = read_page(out / "beta" / "worksheets" / "log" / "index.html").text
    assert "Fill this part in at the end of the week." in text


def test_worksheet_page_explains_the_choices_and_keeps_nothing_by_default(bundled_site):
    _, path = worksheet_pages(bundled_site / "site")[0]
    html = path.read_text(encoding="utf-8")
    form = parse_form(html)
    controls = re.search(r'<div class="psy-controls"[^>]*>', html)
    assert controls and " hidden" in controls.group(0), "the buttons show only when the script runs"
    keep = [c for c in form.controls if form.label_for.get(c.attrs.get("id", "")) == "Keep my answers on this device"]
    assert len(keep) == 1 and "checked" not in keep[0].attrs
    text = read_page(path).text
    for words in ["nothing you type is sent anywhere", "Anyone who uses this device and browser could see them",
                  "deletes any copy saved on this device", "prints only the worksheet"]:
        assert words in text
    assert re.search(r'<button type="button"[^>]*data-psy-action="clear"[^>]*>Clear my answers</button>', html)
    assert re.search(r'<button type="button"[^>]*data-psy-action="print"[^>]*>Print</button>', html)
    assert "psychoed-worksheets.js" in html


def test_printed_worksheet_ends_with_crisis_line_and_disclaimer(bundled_site):
    program = CURRICULUM.program
    for _, path in worksheet_pages(bundled_site / "site"):
        html = path.read_text(encoding="utf-8")
        section = html[html.index('<section class="psy-worksheet"'):html.index("</section>")]
        footer = section[section.index('class="psy-print-footer"'):]
        assert "Need help now?" in footer and " ".join(program.disclaimer.split()) in " ".join(footer.split())
        for resource in program.crisis:
            assert resource.name.replace("&", "&amp;") in footer, (path, resource.name)
        assert 'class="psy-pdf-links"' in html


def test_the_worksheet_script_sends_nothing():
    script = (REPO / "generator" / "theme" / "assets" / "javascripts" / "psychoed-worksheets.js").read_text(encoding="utf-8")
    for call in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource", "import(", ".submit("):
        assert call not in script, call
    assert "localStorage" in script and "removeItem" in script and "window.print()" in script

"""The real pipeline end to end: YAML → MkDocs (strict) → HTML, asserted on the built pages."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from conftest import BUNDLED, html_pages, read_page
from generator.load import load_curriculum
from generator.locales import catalogue
from generator.tailor import tailor
from generator.translations.translate import translate

CURRICULUM = load_curriculum(BUNDLED)
TRACKS = list(CURRICULUM.tracks)


def facilitator_only_sentences(track_id: str) -> set[str]:
    """Long sentences from facilitator prompts and notes, which must not leak into other pages."""
    sentences = set()
    for module in tailor(CURRICULUM, track_id).modules.values():
        for text in [*module.facilitator.prompts, module.facilitator.notes]:
            text = re.sub(r"(?m)^\s*([-*+]|\d{1,2}\.)\s+", "", text)  # Markdown list markers do not show as text
            for sentence in re.split(r"(?<=[.?!])\s+", " ".join(text.split())):
                if len(sentence) > 50 and not re.search(r"[*_`\[\]#>|]", sentence):
                    sentences.add(sentence)
    return sentences


def test_bundled_curriculum_shape():
    assert set(TRACKS) == {"anxiety", "depression", "eating-disorders", "addiction"}
    assert len(CURRICULUM.modules) >= 8
    for family in CURRICULUM.program.families:
        assert len([m for m in CURRICULUM.modules.values() if m.family == family]) >= 2, family
    assert len(CURRICULUM.worksheets) >= 4
    tags = {tag for w in CURRICULUM.worksheets.values() for tag in w.tags}
    assert {"safety-plan", "relapse-prevention-plan"} <= tags
    for track in CURRICULUM.tracks.values():
        assert len(track.weeks) == 12, track.id


@pytest.mark.parametrize("track_id", TRACKS)
def test_every_page_of_the_track_exists(bundled_site, track_id):
    site = bundled_site / "site" / track_id
    view = tailor(CURRICULUM, track_id)
    expected = ["index.html", "schedule/index.html", "families/index.html", "resources/index.html",
                "facilitator/index.html", "404.html"]
    expected += [f"modules/{m.family}/{m.id}/index.html" for m in view.modules.values()]
    expected += [f"worksheets/{w}/index.html" for w in view.worksheets]
    expected += [f"facilitator/week-{w.number:02d}/index.html" for w in view.weeks]
    missing = [page for page in expected if not (site / page).is_file()]
    assert missing == []
    assert (bundled_site / "build" / track_id / "mkdocs.yml").is_file()


@pytest.mark.parametrize("track_id", TRACKS)
def test_module_pages_show_the_tailored_text(bundled_site, track_id):
    site = bundled_site / "site" / track_id
    track = CURRICULUM.tracks[track_id]
    for module in tailor(CURRICULUM, track_id).modules.values():
        text = read_page(site / "modules" / module.family / module.id / "index.html").text
        original = CURRICULUM.modules[module.id]
        assert " ".join(module.main_message.split()) in text, module.id
        assert module.title in text
        for heading in (s.heading for s in module.sections):
            assert heading in text, (module.id, heading)
        variant = original.variants.get(track_id)
        if variant is not None and variant.key_points:
            assert " ".join(variant.key_points[0].split()) in " ".join(text.split()), module.id
        if "{{ track.vars." in original.main_message:
            assert any(value in module.main_message for value in track.vars.values())


def test_variants_differ_between_tracks(bundled_site):
    """At least one shared module reads differently per track, after variants and vars."""
    differing = 0
    for module in CURRICULUM.modules.values():
        if module.tracks == "all" and module.variants:
            texts = {t: read_page(bundled_site / "site" / t / "modules" / module.family / module.id / "index.html").text
                     for t in TRACKS if (bundled_site / "site" / t / "modules" / module.family / module.id).is_dir()}
            differing += len(set(texts.values())) > 1
    assert differing >= 3


def test_no_template_syntax_left_in_any_page(bundled_site):
    for path in html_pages(bundled_site / "site"):
        page = read_page(path)
        assert "{{" not in page.text and "{%" not in page.text, path


def test_crisis_block_and_disclaimer_on_every_page(bundled_site):
    """Every page of every edition: the crisis block in the page's language, each crisis
    resource as that edition's program gives it, and the disclaimer."""
    site = bundled_site / "site"
    pages = html_pages(site)
    assert len(pages) > 100
    editions = {"": CURRICULUM.program, "es": translate(CURRICULUM, "es").curriculum.program}
    for path in pages:
        page = read_page(path)
        program = editions["es" if path.relative_to(site).parts[0] == "es" else ""]
        assert catalogue(program.language).text("crisis.title") in page.text, path
        for resource in program.crisis:
            assert resource.name in page.text and resource.contact in page.text, (path, resource.name)
        assert " ".join(program.disclaimer.split()) in page.text, path
    assert any(path.relative_to(site).parts[0] == "es" for path in pages), "the Spanish edition is checked too"


def test_facilitator_text_only_in_the_facilitator_guide(bundled_site):
    for track_id in TRACKS:
        secret = facilitator_only_sentences(track_id)
        assert secret, "every track has facilitator prompts"
        site = bundled_site / "site" / track_id
        seen_in_guide = set()
        for path in html_pages(site):
            text = read_page(path).text
            found = {s for s in secret if s in text}
            if "facilitator" in path.relative_to(site).parts:
                seen_in_guide |= found
            else:
                assert found == set(), path
        assert seen_in_guide == secret, "the guide shows every prompt and note"


def test_no_page_loads_anything_from_another_host(bundled_site):
    for path in html_pages(bundled_site / "site"):
        for asset in read_page(path).assets:
            assert not re.match(r"(https?:)?//", asset), (path, asset)


def test_hub_links_every_track(bundled_site):
    hub = read_page(bundled_site / "site" / "index.html")
    for track in CURRICULUM.tracks.values():
        assert f'href="{track.id}/"' in hub.html
        assert track.title in hub.text
    assert "988" in hub.text
    assert " ".join(CURRICULUM.program.disclaimer.split()) in hub.text
    assert hub.assets == []


def test_generated_project_builds_by_hand_with_mkdocs(bundled_site, tmp_path):
    config = bundled_site / "build" / "anxiety" / "mkdocs.yml"
    assert yaml.safe_load(config.read_text())["INHERIT"].endswith("mkdocs.yml")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                             "-d", str(tmp_path / "by-hand")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "by-hand" / "schedule" / "index.html").is_file()

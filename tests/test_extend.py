"""A program adds a fifth track and a fifth family with YAML alone, and it builds (into a site that
already publishes the four bundled tracks, so the build makes the new track alone)."""

from __future__ import annotations

import shutil

import yaml

from conftest import BUNDLED, BUNDLED_TRACKS, published_tracks_from, read_page

NEW_MODULE = """\
title: A mindful minute
code: MF-1
summary: A short way to notice the present moment when {{ track.vars.condition_short }} feels loud.
main_message: One calm minute is a real skill, and it grows with practice.
last_reviewed: 2026-11-01
objectives: [Try a one-minute pause.]
key_points: [A minute is enough to start., You can do it anywhere.]
sections:
  - heading: Try it
    steps: [Sit still., Notice three sounds., Notice your breath.]
practice: [Take one mindful minute each day.]
facilitator:
  timing: [{minutes: 50, activity: Teach and practise}]
  prompts: [Ask who noticed a sound they had not heard before.]
"""

NEW_TRACK = """\
title: Grief and loss
summary: For adults coping with grief.
vars:
  condition: grief
  condition_short: grief
  urge_example: the urge to pull away from people
  trigger_example: an anniversary
weeks:
  - title: Noticing the present
    sessions:
      - module: mindful-minute
      - module: grounding
      - module: safety-planning  # every track makes a safety plan in week 1 (rule safety-topics)
"""


def test_fifth_track_and_family_by_yaml_alone(psychoed, bundled_site, tmp_path):
    curriculum = tmp_path / "curriculum"
    shutil.copytree(BUNDLED, curriculum)
    program_file = curriculum / "program.yml"
    program = yaml.safe_load(program_file.read_text())
    program["families"]["mindfulness"] = {"title": "Mindfulness"}
    program_file.write_text(yaml.safe_dump(program, sort_keys=False))
    # The program is also published in Spanish (without fallback): the new family needs its Spanish name.
    spanish = curriculum / "program.es.yml"
    spanish.write_text(spanish.read_text().replace(
        "\nsource_hashes:", "\n  mindfulness:\n    title: Atención plena\nsource_hashes:", 1))
    (curriculum / "modules" / "mindfulness").mkdir()
    (curriculum / "modules" / "mindfulness" / "mindful-minute.yml").write_text(NEW_MODULE)
    (curriculum / "tracks" / "grief.yml").write_text(NEW_TRACK)

    # The build's own check then finds every result in the check's cache.
    assert psychoed("check", "--curriculum", curriculum, "--build-dir", tmp_path / "build").code == 0
    out = published_tracks_from(bundled_site / "site", tmp_path / "site", BUNDLED_TRACKS)
    run = psychoed("build", "--curriculum", curriculum, "--out", out, "--build-dir", tmp_path / "build",
                   "--track", "grief")
    assert run.code == 0, run.out + run.err
    module = read_page(out / "grief" / "modules" / "mindfulness" / "mindful-minute" / "index.html")
    assert "when grief feels loud" in module.text
    home = read_page(out / "grief" / "index.html")
    assert "A mindful minute" in home.text  # the menu (week by week) and the weeks at a glance
    topics = read_page(out / "grief" / "topics" / "index.html")
    assert "Mindfulness" in topics.text and "A mindful minute" in topics.text  # the new family groups its module
    assert 'href="grief/"' in read_page(out / "index.html").html

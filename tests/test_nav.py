"""Dates and meeting days, links between modules, and the order of pages, without a browser.

The mini fixture gets a start date and meeting days on track `alpha` (track `beta` keeps rolling
admission); pages are rendered with the real templates, and packets as the HTML WeasyPrint prints.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.handouts import handout_documents
from generator.load import load_curriculum
from generator.render import render_track
from generator.engines import Publishing
from generator.engines.mkdocs import project_config
from generator.shipped import ThemeFiles
from generator.tailor import tailor
from browser_support import TRACKS, track_view
from generator.wayfinding import neighbours
from test_errors import problems, replace

DATED = "start: 2027-01-11\nmeeting_days: [Mon, Thu]\nweeks:"
BREATHING = Path("modules") / "skills" / "breathing.yml"
LINKING_TEXT = "Slow breathing helps with {{ track.vars.condition }}. See [Talking together](module:talking)."


def dated(mini: Path) -> Path:
    replace(mini / "tracks" / "alpha.yml", "weeks:", DATED)
    return mini


# --- the schema: dates and meeting days are checked at their line ------------------------

def test_dates_that_do_not_fit_the_meeting_days_are_errors_at_their_lines(psychoed, mini):
    replace(mini / "tracks" / "alpha.yml", "weeks:", "start: 2027-01-12\nmeeting_days: [Mon]\nweeks:")
    replace(mini / "tracks" / "beta.yml", "weeks:", "meeting_days: [Wed, Wed]\nweeks:")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    assert problems(run) == [
        "curriculum/tracks/alpha.yml:5:8: error: `start` 2027-01-12 is a Tuesday, but the first meeting day is "
        "Monday — give the date of the first session of week 1, or list that day first in `meeting_days`",
        "curriculum/tracks/alpha.yml:11:9: error: week 1 has 2 sessions but the group meets 1 day(s) a week (Mon)"
        " — add a day to `meeting_days`, or move a session to another week",
        "curriculum/tracks/beta.yml:5:21: error: meeting day `Wed` is listed twice — list each day the group "
        "meets once, in week order",
    ]


def test_a_start_date_needs_meeting_days_and_days_must_be_real(psychoed, mini):
    replace(mini / "tracks" / "alpha.yml", "weeks:", "start: 2027-01-11\nweeks:")
    replace(mini / "tracks" / "beta.yml", "weeks:", "meeting_days: [Mon, Thurs]\nweeks:")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    found = problems(run)
    assert "curriculum/tracks/alpha.yml:5:8: error: `start` needs `meeting_days` — add e.g. `meeting_days: [Mon]`: " \
           "the days the group meets, in week order" in found
    assert any(line.startswith("curriculum/tracks/beta.yml:5:21: error: `meeting_days[1]` should be 'Mon', 'Tue'")
               for line in found), found


def test_meeting_days_out_of_week_order_are_an_error(psychoed, mini):
    replace(mini / "tracks" / "alpha.yml", "weeks:", "meeting_days: [Mon, Thu, Tue]\nweeks:")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    assert problems(run) == ["curriculum/tracks/alpha.yml:5:15: error: meeting days Mon, Thu, Tue are not in week "
                             "order — list them in the order the group meets within a week, e.g. [Mon, Wed, Thu]"]


# --- links between modules, and relative links -------------------------------------------

def test_unknown_module_and_relative_links_are_errors_at_their_position(psychoed, mini):
    replace(mini / BREATHING, "Slow breathing helps with {{ track.vars.condition }}.",
            "See [talk](module:talkng) and [notes](notes.md).\n      Also [up](../x), [web](https://example.org),"
            " [mail](mailto:a@example.org), [call](tel:+15550100) and [here](#try-it).")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    assert problems(run) == [
        "curriculum/modules/skills/breathing.yml:14:18: error: link to unknown module `talkng` — "
        "did you mean `module:talking`?",
        "curriculum/modules/skills/breathing.yml:14:45: error: link to `notes.md`, which is not a module or a web "
        "address — link to another module by its id, as [Grounding](module:grounding), or to a web page with its "
        "full address (https://…)",
        "curriculum/modules/skills/breathing.yml:15:17: error: link to `../x`, which is not a module or a web "
        "address — link to another module by its id, as [Grounding](module:grounding), or to a web page with its "
        "full address (https://…)",
    ]


def test_a_module_link_goes_to_the_tracks_own_page_or_is_plain_words(mini):
    replace(mini / BREATHING, "Slow breathing helps with {{ track.vars.condition }}.", LINKING_TEXT)
    curriculum = load_curriculum(mini)
    alpha = render_track(tailor(curriculum, "alpha")).pages["modules/skills/breathing.md"]
    beta = render_track(tailor(curriculum, "beta")).pages["modules/skills/breathing.md"]
    assert "See [Talking together](../family-education/talking.md)." in alpha
    assert "See Talking together." in beta and "module:" not in beta  # beta does not schedule `talking`
    packet = next(d for d in handout_documents(tailor(curriculum, "alpha"), weeks=[1]) if d.kind == "packet")
    assert "See Talking together." in packet.html and "module:" not in packet.html


# --- where am I: dates, weeks, order -------------------------------------------------------

def test_a_dated_track_shows_days_and_dates_and_a_rolling_one_reads_naturally(mini):
    curriculum = load_curriculum(dated(mini))
    alpha = render_track(tailor(curriculum, "alpha")).pages
    assert "The group meets on Monday and Thursday, starting Monday, January 11, 2027." in alpha["schedule.md"]
    assert "January 11 to 17, 2027" in alpha["schedule.md"]
    assert "2. Thursday, January 14: [Talking together]" in alpha["schedule.md"]
    assert 'data-psy-week-start="2027-01-18" data-psy-week-end="2027-01-24"' in alpha["index.md"]
    assert "data-psy-this-week" in alpha["index.md"]
    assert ("**In the schedule:** Week 1, session 1 (Monday, January 11, 2027); "
            "Week 2, session 1 (Monday, January 18, 2027)") in alpha["modules/skills/breathing.md"]
    assert "[Talking together](modules/family-education/talking.md) — Week 1, session 2 (Thursday, January 14, " \
           "2027)." in alpha["families.md"]
    assert "## Session 2 (Thursday, January 14, 2027): Talking together" in alpha["facilitator/week-01.md"]

    beta = render_track(tailor(curriculum, "beta")).pages
    assert "Your week 1 is the week you join the group." in beta["schedule.md"]
    assert "data-psy-week-start" not in beta["index.md"] and "data-psy-this-week" not in beta["index.md"]
    assert "**In the schedule:** Week 1, session 1 ·" in beta["modules/skills/breathing.md"]


def test_packet_and_facilitator_covers_show_the_weeks_dates(mini):
    view = tailor(load_curriculum(dated(mini)), "alpha")
    documents = {d.name: d.html for d in handout_documents(view, weeks=[1])}
    assert "January 11, 2027 to January 17, 2027" in documents["week-01.pdf"]
    assert "Monday, January 11, 2027" in documents["week-01.pdf"]
    assert "Thursday, January 14, 2027" in documents["week-01-families.pdf"]
    assert "2 · Thursday, January 14, 2027" in documents["facilitator-week-01.pdf"]


def test_the_menu_goes_week_by_week_and_leaves_out_the_facilitator_guide(mini, tmp_path):
    view = tailor(load_curriculum(mini), "alpha")
    rendered = render_track(view)
    titles = [next(iter(item)) for item in rendered.nav]
    assert titles == ["Home", "Schedule", "Week 1", "For families", "By topic", "Worksheets", "Resources"]
    assert rendered.nav[2] == {"Week 1": [{"Breathing": "modules/skills/breathing.md"}]}  # week 2 repeats it
    assert rendered.nav[3]["For families"][0] == {"Family sessions": "families.md"}
    assert rendered.pages["families.md"].startswith("# Family sessions")  # the menu's label is the heading
    assert "facilitator" not in str(rendered.nav)
    assert "facilitator/index.md" in rendered.pages and "topics.md" in rendered.pages
    config = project_config(view, rendered, tmp_path, tmp_path / "site", ThemeFiles.for_project(tmp_path),
                            Publishing(tracks=(("alpha", "Alpha"), ("beta", "Beta"))))
    assert config["not_in_nav"] == "/facilitator/"
    assert config["site_name"].startswith("Alpha · ")  # a phone's header keeps the track's name
    assert config["extra"]["psychoed"]["tracks"] == [{"id": "alpha", "title": "Alpha"}, {"id": "beta", "title": "Beta"}]


@pytest.mark.parametrize("track_id", TRACKS)
def test_previous_and_next_follow_the_schedule(track_id):
    view = track_view(track_id)
    participant_modules = [s.module.id for s in view.sessions() if not view.for_families(s.module)]
    first_seen = list(dict.fromkeys(participant_modules))
    walked, module = [], view.modules[first_seen[0]]
    while module is not None:
        walked.append(module.id)
        previous, module = neighbours(view, module)
        assert (previous.id if previous else None) == (walked[-2] if len(walked) > 1 else None)
    assert walked == first_seen

"""The content rules of `psychoed check`: for every rule a failing example, at its exact line
and rule id, and a passing near-miss. All run the real CLI on a copy of the fixture curriculum."""

from __future__ import annotations

import json

import pytest

from conftest import BUNDLED

TALKING = "modules/family-education/talking.yml"  # a family-audience module, scheduled on track alpha
BREATHING = "modules/skills/breathing.yml"  # a participant module on alpha and beta, with a beta variant


def edit(mini, relative: str, old: str, new: str) -> None:
    path = mini / relative
    text = path.read_text()
    assert old in text, f"fixture changed: {old!r}"
    path.write_text(text.replace(old, new, 1))


def say(mini, body: str) -> None:
    """Put `body` as the text of the family module's section (line 10 of talking.yml)."""
    edit(mini, TALKING, "    body: Listen more than you talk.", f"    body: {body}")


def findings(run, rule: str) -> list[str]:
    return [line for line in run.lines if f"[{rule}]" in line]


def at(mini, relative: str, line: int, needle: str) -> str:
    """`path:line:col` of `needle` on `line` of the fixture file, as the checker must print it."""
    text = (mini / relative).read_text().splitlines()[line - 1]
    return f"curriculum/{relative}:{line}:{text.lower().index(needle.lower()) + 1}:"


def check(psychoed, mini, *args):
    return psychoed("check", "--curriculum", mini, "--as-of", "2026-11-22", *args)


# --- person-first ----------------------------------------------------------------------

def test_person_first_flags_labels_with_the_replacement(psychoed, mini):
    say(mini, "Many addicts find support in groups.")
    run = check(psychoed, mini)
    assert run.code == 1
    [line] = findings(run, "person-first")
    assert line.startswith(at(mini, TALKING, 10, "addicts") + " error: [person-first] avoid “addicts”")
    assert "(use: person with a substance use disorder)" in line


@pytest.mark.parametrize("text", [
    "Narcotics Anonymous and Alcoholics Anonymous meet nearby.",
    "A person in recovery is not defined by substance use.",
    'One member said, "I used to call myself an addict."',
    "Alcoholic drinks are offered at many parties.",
])
def test_person_first_near_misses_pass(psychoed, mini, text):
    say(mini, text)
    assert findings(check(psychoed, mini), "person-first") == []


def test_stigmatizing_word_forms(psychoed, mini):
    say(mini, "He was in denial. She stayed clean. The drug abuse got worse.")
    run = check(psychoed, mini)
    assert [line.split("avoid ")[1].split(" (")[0] for line in findings(run, "person-first")] == [
        "“in denial”", "“stayed clean”", "“drug abuse”"]


# --- safe messaging --------------------------------------------------------------------

def test_committed_suicide_is_flagged(psychoed, mini):
    say(mini, "His uncle committed suicide. You can {{ crisis.line.how }} for help.")
    edit(mini, TALKING, "minutes: 60", 'minutes: 60\ncontent_notes: ["mentions suicide"]')
    run = check(psychoed, mini)
    [line] = findings(run, "safe-messaging")
    assert line.startswith(at(mini, TALKING, 11, "committed suicide") + " error: [safe-messaging]")
    assert "(use: died by suicide)" in line


def test_suicide_mention_needs_a_content_note_and_help(psychoed, mini):
    say(mini, "Thoughts of suicide can pass.")
    run = check(psychoed, mini)
    lines = findings(run, "safe-messaging")
    assert len(lines) == 2
    assert all(line.startswith(at(mini, TALKING, 10, "suicide")) for line in lines)
    assert any("`content_notes` does not say so" in line for line in lines)
    assert any("no way to get help" in line for line in lines)


def test_safe_suicide_mention_passes(psychoed, mini):
    say(mini, "Thoughts of suicide can pass, and help works. You can {{ crisis.line.how }} at any time.")
    edit(mini, TALKING, "minutes: 60", 'minutes: 60\ncontent_notes: ["mentions suicide"]')
    assert findings(check(psychoed, mini), "safe-messaging") == []


def test_method_words_near_suicide_are_flagged_but_not_far_away(psychoed, mini):
    say(mini, "Some people think of suicide by jumping. You can {{ crisis.line.how }}. "
              "Much later, on a calm day, we walked over the old stone bridge in town.")
    edit(mini, TALKING, "minutes: 60", 'minutes: 60\ncontent_notes: ["mentions suicide"]')
    run = check(psychoed, mini)
    [line] = findings(run, "safe-messaging")
    assert line.startswith(at(mini, TALKING, 11, "jumping") + " error: [safe-messaging] method or location word")


# --- no body numbers -------------------------------------------------------------------

def test_body_numbers_on_a_family_page(psychoed, mini):
    say(mini, "She lost 10 pounds before the first visit.")
    run = check(psychoed, mini)
    lines = findings(run, "no-body-numbers")
    assert lines and lines[0].startswith(at(mini, TALKING, 10, "lost 10") + " error: [no-body-numbers]")


def test_a_module_in_a_family_audience_family_is_a_family_page(psychoed, mini):
    """One definition of "family page" for the site, the packets and the rules."""
    edit(mini, TALKING, "minutes: 60", "minutes: 60\naudience: participants")
    edit(mini, TALKING, "    body: Listen more than you talk.", "    body: She lost 10 pounds before the first visit.")
    assert findings(check(psychoed, mini), "no-body-numbers")


def test_diet_culture_words_on_a_family_page(psychoed, mini):
    say(mini, "Skip the junk food talk at dinner.")
    [line] = findings(check(psychoed, mini), "no-body-numbers")
    assert line.startswith(at(mini, TALKING, 10, "junk food"))


def test_body_numbers_are_fine_on_a_track_that_does_not_name_the_rule(psychoed, mini):
    edit(mini, BREATHING, "Slow breathing helps with", "After you gain 2 pounds, slow breathing helps with")
    assert findings(check(psychoed, mini), "no-body-numbers") == []


def test_a_variant_is_checked_under_its_own_tracks_rules(psychoed, mini):
    edit(mini, "tracks/beta.yml", "weeks:", "safety:\n  rules: [no-body-numbers]\nweeks:")
    edit(mini, BREATHING, "Beta variant message for {{ track.title }}.", "Calm down, even after a cheat day.")
    run = check(psychoed, mini)
    [line] = findings(run, "no-body-numbers")
    assert line.startswith(at(mini, BREATHING, 33, "cheat day") + " error: [no-body-numbers]")


def test_rating_scale_on_an_eating_disorder_page_passes(psychoed, mini):
    edit(mini, "tracks/beta.yml", "weeks:", "safety:\n  rules: [no-body-numbers]\nweeks:")
    edit(mini, BREATHING, "Slow breathing helps with", "Rate your worry from 0 to 10. Slow breathing helps with")
    assert findings(check(psychoed, mini), "no-body-numbers") == []


# --- crisis and disclaimer -------------------------------------------------------------

def test_stale_crisis_resource_and_review_dates_are_warnings(psychoed, mini):
    run = psychoed("check", "--curriculum", mini, "--as-of", "2028-03-01")
    assert run.code == 0, "warnings alone do not fail"
    lines = findings(run, "crisis-and-disclaimer")
    assert any(line.startswith("curriculum/program.yml:9:18: warning: [crisis-and-disclaimer]") for line in lines)
    assert any(line.startswith("curriculum/modules/skills/breathing.yml:5:16: warning:") for line in lines)
    assert psychoed("check", "--curriculum", mini, "--as-of", "2028-03-01", "--strict").code == 1


def test_current_dates_pass(psychoed, mini):
    assert findings(check(psychoed, mini), "crisis-and-disclaimer") == []


def test_closed_helpline_is_an_error(psychoed, mini):
    edit(mini, "program.yml", "    contact: Call or text 988", "    contact: Call or text 988, or the NEDA Helpline")
    [line] = findings(check(psychoed, mini), "crisis-and-disclaimer")
    assert line.startswith(at(mini, "program.yml", 7, "NEDA Helpline") + " error:")


# --- safety plan -----------------------------------------------------------------------

SAFETY_PLAN = """\
title: My safety plan
instructions: Fill this in with your clinician.
tags: [safety-plan]
fields:
  - {type: list, label: "Step 1: Warning signs", items: 3}
  - {type: list, label: "Step 2: Things I can do on my own to cope", items: 3}
  - {type: list, label: "Step 3: People and places that distract me", items: 3}
  - {type: list, label: "Step 4: People I can ask for help", items: 3}
  - {type: list, label: "Step 5: Professionals and services ({{ crisis.line.name }})", items: 3}
  - {type: text, label: "Step 6: Making my surroundings safer", lines: 3}
"""


def add_safety_plan(mini, text: str) -> None:
    (mini / "worksheets" / "safety-plan.yml").write_text(text)
    edit(mini, BREATHING, "worksheets: [log]", "worksheets: [log, safety-plan]")


def test_safety_plan_in_stanley_brown_order_passes(psychoed, mini):
    add_safety_plan(mini, SAFETY_PLAN)
    run = check(psychoed, mini)
    assert findings(run, "safety-plan") == [] and run.code == 0


def test_safety_plan_out_of_order_is_an_error(psychoed, mini):
    swapped = SAFETY_PLAN.replace("Step 4: People I can ask for help", "TEMP").replace(
        "Step 2: Things I can do on my own to cope", "Step 4: People I can ask for help").replace(
        "TEMP", "Step 2: Things I can do on my own to cope")
    add_safety_plan(mini, swapped)
    run = check(psychoed, mini)
    [line] = findings(run, "safety-plan")
    assert line.startswith("curriculum/worksheets/safety-plan.yml:5:3: error: [safety-plan] safety plan step")


def test_no_suicide_contract_wording_is_an_error(psychoed, mini):
    add_safety_plan(mini, SAFETY_PLAN.replace("Fill this in with your clinician.",
                                              "This is your no-suicide contract."))
    [line] = findings(check(psychoed, mini), "safety-plan")
    assert line.startswith("curriculum/worksheets/safety-plan.yml:2:28: error: [safety-plan] avoid “no-suicide contract”")


# --- readability -----------------------------------------------------------------------

HARD = ("Comprehensive psychoeducational interventions facilitate individualized understanding of "
        "physiological dysregulation, interpersonal vulnerabilities and neurobiological susceptibility, "
        "consequently enabling sophisticated metacognitive reappraisal strategies throughout recovery.")


def test_hard_text_is_a_readability_error_at_module_and_section(psychoed, mini):
    say(mini, f"{HARD} {HARD} {HARD}")
    run = check(psychoed, mini)
    lines = findings(run, "readability")
    assert any(line.startswith("curriculum/modules/family-education/talking.yml:1:8: error: [readability] module")
               for line in lines)
    assert any(line.startswith("curriculum/modules/family-education/talking.yml:9:14: error: [readability] section")
               for line in lines)


def test_hard_worksheet_instructions_are_a_readability_error(psychoed, mini):
    edit(mini, "worksheets/log.yml", "instructions: Write down when you practised.", f"instructions: {HARD} {HARD} {HARD}")
    [line] = findings(check(psychoed, mini), "readability")
    assert line.startswith("curriculum/worksheets/log.yml:2:15: error: [readability] worksheet text reads at grade")


def test_facilitator_text_is_exempt_from_readability(psychoed, mini):
    edit(mini, BREATHING, "  notes: FACILITATOR-ONLY-NOTES-MARKER", f"  notes: {HARD} {HARD}")
    assert findings(check(psychoed, mini), "readability") == []


# --- structure -------------------------------------------------------------------------

def test_long_lists_and_missing_practice_are_warnings(psychoed, mini):
    edit(mini, TALKING, "key_points: [Listening helps.]", "key_points: [a, b, c, d, e, f, g, h]")
    edit(mini, TALKING, "practice: [Listen once this week.]\n", "")
    run = check(psychoed, mini)
    lines = findings(run, "structure")
    assert any(line.startswith("curriculum/modules/family-education/talking.yml:7:13: warning: [structure] list of 8")
               for line in lines)
    assert any("no practice item" in line for line in lines)
    assert run.code == 0
    assert check(psychoed, mini, "--strict").code == 1


def test_unscheduled_module_and_unused_worksheet_are_warnings(psychoed, mini):
    (mini / "worksheets" / "spare.yml").write_text("title: Spare\ninstructions: Write.\nfields: [{type: date, label: Date}]\n")
    edit(mini, "tracks/alpha.yml", "      - module: talking\n", "")
    lines = findings(check(psychoed, mini), "structure")
    assert "curriculum/worksheets/spare.yml:1:8: warning: [structure] worksheet `spare` is not used" in "\n".join(lines)
    assert any(line.startswith("curriculum/modules/family-education/talking.yml:1:8: warning: [structure] module `talking`")
               for line in lines)


# --- programs extend the rules; modules may suppress with a reason ---------------------

def test_program_rule_set_and_track_avoid_list(psychoed, mini):
    (mini / "program.yml").write_text((mini / "program.yml").read_text() + (
        "safety:\n  rule_sets:\n    house-words:\n      applies: always\n"
        "      phrases: [{phrase: frequent flyer, use: person who often needs care}]\n"))
    edit(mini, "tracks/alpha.yml", "weeks:", "safety:\n  avoid: [{phrase: relapse is failure, use: a lapse is a chance to learn}]\nweeks:")
    say(mini, "He is a frequent flyer. Some think relapse is failure.")
    run = check(psychoed, mini)
    [house] = findings(run, "house-words")
    [avoid] = findings(run, "avoid")
    assert house.startswith(at(mini, TALKING, 10, "frequent flyer") + " error: [house-words]")
    assert avoid.startswith(at(mini, TALKING, 10, "relapse is failure") + " error: [avoid]")


def test_unknown_rule_set_name_suggests_one(psychoed, mini):
    edit(mini, "tracks/beta.yml", "weeks:", "safety:\n  rules: [no-body-number]\nweeks:")
    run = check(psychoed, mini)
    assert "curriculum/tracks/beta.yml:6:11: error: unknown rule set `no-body-number` — did you mean `no-body-numbers`?" \
        in run.out


def test_suppression_needs_a_reason_and_is_listed_in_verbose(psychoed, mini):
    say(mini, "Many addicts find support in groups.")
    edit(mini, TALKING, "minutes: 60", "minutes: 60\nallow: [{rule: person-first}]")
    assert "missing required field `reason`" in check(psychoed, mini).out
    edit(mini, TALKING, "allow: [{rule: person-first}]",
         "allow: [{rule: person-first, reason: Quoting a historical pamphlet.}]")
    run = check(psychoed, mini, "--verbose")
    assert run.code == 0 and findings(run, "person-first") == []
    assert "suppressed" in run.err and "Quoting a historical pamphlet." in run.err


def test_suppressing_an_unknown_rule_is_an_error(psychoed, mini):
    edit(mini, TALKING, "minutes: 60", "minutes: 60\nallow: [{rule: person-frist, reason: typo}]")
    run = check(psychoed, mini)
    assert "curriculum/modules/family-education/talking.yml:5:16: error: `allow` names unknown rule `person-frist`" \
           " — did you mean `person-first`?" in run.out


# --- output formats and explanations ---------------------------------------------------

def test_json_and_github_formats(psychoed, mini):
    say(mini, "Many addicts find support in groups.")
    [finding] = json.loads(check(psychoed, mini, "--format", "json").out)
    assert finding["rule"] == "person-first" and finding["line"] == 10 and finding["severity"] == "error"
    assert finding["path"] == "curriculum/" + TALKING
    github = check(psychoed, mini, "--format", "github").lines
    assert github == [f"::error file=curriculum/{TALKING},line=10,col={finding['col']}::[person-first] avoid “addicts” "
                      "(use: person with a substance use disorder)"]


def test_explain_shows_rationale_and_sources(psychoed):
    run = psychoed("check", "--explain", "no-body-numbers")
    assert run.code == 0 and "Sources:" in run.out and "NG69" in run.out
    assert psychoed("check", "--explain", "no-such-rule").code == 2


def test_build_refuses_to_publish_with_a_content_error(psychoed, mini, tmp_path):
    say(mini, "Many addicts find support in groups.")
    run = psychoed("build", "--curriculum", mini, "--out", tmp_path / "site", "--build-dir", tmp_path / "build")
    assert run.code == 1 and "[person-first]" in run.out
    assert not (tmp_path / "site").exists()


def test_bundled_curriculum_passes_strict(psychoed):
    run = psychoed("check", "--curriculum", BUNDLED, "--strict", "--verbose", "--as-of", "2026-11-22")
    assert run.code == 0, run.out
    assert "mean" in run.err

"""The two shared contracts at the model and tailoring level: crisis values (`role`, `how`, `phone`,
`sms`, used in text as {{ crisis.line.how }} ...), the `covers:` field, and structured references
(validation at the item's line, one rendering, per-track filtering). Real CLI on the mini fixture."""

from __future__ import annotations

import datetime

from conftest import MINI

from generator.load import load_curriculum
from generator.model import Reference
from generator.references import reference_plain, reference_text
from generator.tailor import tailor
from test_lint import BREATHING, TALKING, check, edit, findings, say

PROGRAM = "program.yml"


def test_crisis_values_fill_module_text(mini):
    say(mini, "You can {{ crisis.line.how }} at any time. If you are in danger now, {{ crisis.emergency.how }}.")
    view = tailor(load_curriculum(mini), "alpha")
    body = view.modules["talking"].sections[0].body
    assert body == "You can call or text 988 at any time. If you are in danger now, call 911."


def test_unknown_crisis_value_is_an_error_naming_the_known_ones(psychoed, mini):
    say(mini, "Call {{ crisis.line.fax }} now.")
    run = check(psychoed, mini)
    assert run.code == 1
    assert f"curriculum/{TALKING}:10:" in run.out
    assert "undefined variable `fax`" in run.out and "crisis.line.how" in run.out


def test_a_program_needs_exactly_one_line_and_one_emergency(psychoed, mini):
    edit(mini, PROGRAM, "    role: emergency\n", "    role: line\n")
    run = check(psychoed, mini)
    assert run.code == 1
    assert "curriculum/program.yml:6:3: error: `crisis` is not valid: needs exactly one entry with `role: line` " \
           "(found 2)" in run.out
    assert "`role: emergency` (found 0)" not in run.out  # one problem at a time is enough here


def test_phone_and_sms_must_be_machine_readable_and_how_reads_mid_sentence(psychoed, mini):
    edit(mini, PROGRAM, '    phone: "988"\n', '    phone: "9-8-8"\n')
    edit(mini, PROGRAM, "    how: call 911\n", "    how: Call 911.\n")
    run = check(psychoed, mini)
    assert run.code == 1
    assert "curriculum/program.yml:12:12: error: `crisis[0].phone` is not a machine-readable number — digits only" \
        in run.out
    assert "curriculum/program.yml:18:10: error: `crisis[1].how` is not valid: should be a lowercase phrase" in run.out


def test_unknown_safety_topic_in_covers_is_an_error_with_a_suggestion(psychoed, mini):
    edit(mini, TALKING, "practice:", "covers: [means-safty]\npractice:")
    run = check(psychoed, mini)
    assert run.code == 1
    assert f"curriculum/{TALKING}:11:10: error: unknown safety topic `means-safty` — did you mean `means-safety`?" \
        in run.out


def test_structured_reference_missing_fields_are_errors_at_the_item(psychoed, mini):
    edit(mini, TALKING, "    year: 2024\n    url: https://www.nami.org", "    publisher: NAMI")
    run = check(psychoed, mini)
    assert run.code == 1
    lines = [line for line in run.lines if line.startswith(f"curriculum/{TALKING}:15:5: error: missing required field")]
    assert len(lines) == 1 and "`url`" in lines[0]  # a web page without a year reads "n.d."


def test_plain_text_reference_is_a_warning_suggesting_the_structured_form(psychoed, mini):
    edit(mini, TALKING, "  - author: National Alliance on Mental Illness\n    title: Family Members and Caregivers\n"
         "    year: 2024\n    url: https://www.nami.org", '  - "NAMI. Family Members. https://www.nami.org"')
    run = check(psychoed, mini)
    assert run.code == 0
    [line] = findings(run, "references")
    assert line.startswith(f"curriculum/{TALKING}:15:5: warning: [references] reference written as plain text")
    assert check(psychoed, mini, "--strict").code == 1


def test_reference_renders_one_way_and_leaves_out_a_publisher_equal_to_the_author():
    reference = Reference(author="Substance Abuse and Mental Health Services Administration (SAMHSA)",
                          title="Treatment Improvement Protocol (TIP) 47", publisher="SAMHSA", year=2006,
                          number="(SMA) 13-4182", url="https://store.samhsa.gov/tip-47")
    assert reference_text(reference) == ("Substance Abuse and Mental Health Services Administration (SAMHSA). "
                                         "*Treatment Improvement Protocol (TIP) 47*. SAMHSA, 2006. (SMA) 13-4182. "
                                         "<https://store.samhsa.gov/tip-47>")
    same = reference.model_copy(update={"publisher": "samhsa ", "author": "SAMHSA", "number": None})
    assert reference_plain(same) == "SAMHSA. Treatment Improvement Protocol (TIP) 47. 2006. https://store.samhsa.gov/tip-47"
    undated = same.model_copy(update={"year": None})
    assert reference_plain(undated) == "SAMHSA. Treatment Improvement Protocol (TIP) 47. n.d. https://store.samhsa.gov/tip-47"


def test_reference_limited_to_a_track_is_only_on_that_track(psychoed, mini):
    edit(mini, BREATHING, "    year: 2024\n", "    year: 2024\n    tracks: [beta]\n")
    curriculum = load_curriculum(mini)
    assert tailor(curriculum, "alpha").modules["breathing"].references == []
    assert len(tailor(curriculum, "beta").modules["breathing"].references) == 1
    assert not findings(check(psychoed, mini), "references")  # beta shows it: not a finding


def test_reference_excluding_every_track_of_the_page_is_a_warning(psychoed, mini):
    edit(mini, TALKING, "    year: 2024\n", "    year: 2024\n    tracks: [beta]\n")
    run = check(psychoed, mini)
    [line] = findings(run, "references")
    assert line.startswith(f"curriculum/{TALKING}:18:13: warning: [references] reference “Family Members and "
                           "Caregivers” is limited to beta, but this list is only shown on alpha")
    edit(mini, TALKING, "    tracks: [beta]\n", "    tracks: [gamma]\n")
    assert f"curriculum/{TALKING}:18:14: error: unknown track `gamma`" in check(psychoed, mini).out


def test_bundled_program_has_one_line_and_one_emergency_with_numbers():
    program = load_curriculum(MINI.parents[2] / "curriculum").program
    line, emergency = program.crisis_role("line"), program.crisis_role("emergency")
    assert (line.how, line.phone, line.sms) == ("call or text 988", "988", "988")
    assert (emergency.how, emergency.phone) == ("call 911", "911")
    assert all(r.verified_on <= datetime.date(2026, 11, 30) for r in program.crisis)


def test_unquoted_crisis_value_at_the_start_of_an_item_gets_a_quoting_hint(psychoed, mini):
    edit(mini, TALKING, "practice: [Listen once this week.]", "practice:\n  - {{ crisis.line.how }} if you need to.")
    run = check(psychoed, mini)
    assert run.code == 1
    assert f"curriculum/{TALKING}:12:" in run.out and "text that starts with {{ must be in quotes" in run.out
    edit(mini, TALKING, "  - {{ crisis.line.how }} if you need to.", '  - "{{ crisis.line.how }} if you need to."')
    assert check(psychoed, mini).code == 0

"""Issue-11 rules, each with a failing and a passing example, on the mini fixture through the real
CLI: safety topics (claims verified, schedule per track and rule set, the self-harm note wherever
urges are ridden out, means safety on family pages), means-safety advice near a mention of
suicide, near-copy variants, runs of very short sentences, the substance-use rule set."""

from __future__ import annotations

from test_lint import BREATHING, TALKING, at, check, edit, findings, say

ALPHA = "tracks/alpha.yml"
WITHDRAWAL = ("If you drink alcohol or take benzodiazepines every day, stopping suddenly can be dangerous, so talk "
              "with a doctor first. Get emergency help for shaking, sweating, confusion, seeing things, or a seizure.")
OVERDOSE = "Fentanyl is in counterfeit pills and in stimulants. Carry naloxone, and do not use alone."
MEANS = ("If you worry about suicide, store firearms outside the home, or keep them locked and unloaded with the "
         "ammunition apart. Lock up medicines and keep only small supplies at home. You can {{ crisis.line.how }}.")
SELF_HARM_NOTE = ("Riding out an urge is not for urges to hurt yourself. For those, use your safety plan and "
                  "{{ crisis.line.how }}.")
NOTE = 'content_notes: ["mentions suicide"]\n'


def breathing_says(mini, text: str) -> None:
    edit(mini, BREATHING, "      Slow breathing helps with {{ track.vars.condition }}.",
         f"      Slow breathing helps with {{{{ track.vars.condition }}}}. {text}")


def covers(mini, relative: str, *topics: str) -> None:
    path = mini / relative
    text = path.read_text().replace("covers: [safety-plan]\n", "")
    path.write_text(text + f"covers: [{', '.join(topics)}]\n")


def name_substance_use(mini) -> None:
    edit(mini, ALPHA, "vars:", "safety:\n  rules: [substance-use]\nvars:")


# --- safety topics -------------------------------------------------------------------------

def test_a_covered_topic_must_be_said_in_the_text(psychoed, mini):
    covers(mini, TALKING, "overdose-safety")
    say(mini, "Fentanyl is in many drugs. Carry naloxone.")
    run = check(psychoed, mini)
    assert run.code == 1
    [line] = findings(run, "safety-topics")
    assert line.startswith(f"curriculum/{TALKING}:19:9: error: [safety-topics] covers `overdose-safety`, but its text "
                           "on track `alpha` does not say: counterfeit or fake pills; stimulants")
    assert "not using alone" in line
    edit(mini, TALKING, "Fentanyl is in many drugs. Carry naloxone.", OVERDOSE)
    assert findings(check(psychoed, mini), "safety-topics") == []


def test_every_track_needs_a_safety_plan_in_week_1(psychoed, mini):
    covers(mini, BREATHING, "overdose-safety")
    breathing_says(mini, OVERDOSE)
    run = check(psychoed, mini)
    lines = findings(run, "safety-topics")
    assert "curriculum/tracks/alpha.yml:6:12: error: [safety-topics] no module covering `safety-plan` for participants " \
           "by week 1 (schedule a module with `covers: [safety-plan]` in week 1 or earlier)" in lines
    assert any(line.startswith("curriculum/tracks/beta.yml:6:12: error:") for line in lines) and len(lines) == 2


def test_substance_use_tracks_teach_withdrawal_in_week_1_and_overdose_by_week_2_to_everyone(psychoed, mini):
    name_substance_use(mini)
    lines = findings(check(psychoed, mini), "safety-topics")
    assert sorted(line.split(" error: [safety-topics] ")[1].split(" (")[0] for line in lines) == [
        "no module covering `overdose-safety` for families by week 2",
        "no module covering `overdose-safety` for participants by week 2",
        "no module covering `withdrawal-safety` for families by week 1",
        "no module covering `withdrawal-safety` for participants by week 1",
    ]
    assert all(line.startswith("curriculum/tracks/alpha.yml:") for line in lines)
    covers(mini, BREATHING, "safety-plan", "withdrawal-safety", "overdose-safety")
    breathing_says(mini, WITHDRAWAL + " " + OVERDOSE)
    covers(mini, TALKING, "withdrawal-safety", "overdose-safety")
    say(mini, WITHDRAWAL + " " + OVERDOSE)
    assert findings(check(psychoed, mini), "safety-topics") == []


def test_riding_out_urges_needs_the_self_harm_note_on_every_track(psychoed, mini):
    breathing_says(mini, "When a craving comes, ride the urge like a wave.")
    lines = findings(check(psychoed, mini), "safety-topics")
    assert len(lines) == 2  # alpha and beta both show the base text
    assert all("teaches riding out urges (“ride the urge”)" in line and "`covers: [self-harm-urges]`" in line
               for line in lines)
    covers(mini, BREATHING, "safety-plan", "self-harm-urges")
    breathing_says(mini, SELF_HARM_NOTE)
    assert findings(check(psychoed, mini), "safety-topics") == []


def test_a_variant_that_drops_the_self_harm_note_fails_on_its_track_only(psychoed, mini):
    breathing_says(mini, "When a craving comes, ride the urge like a wave. " + SELF_HARM_NOTE)
    covers(mini, BREATHING, "safety-plan", "self-harm-urges")
    edit(mini, BREATHING, "    main_message: Beta variant message for {{ track.title }}.",
         "    main_message: Beta variant message for {{ track.title }}.\n    sections:\n      - heading: Surf it\n"
         "        body: Surf the urge until it passes. Use your safety plan on hard days and know your warning signs.")
    [line] = findings(check(psychoed, mini), "safety-topics")
    assert "covers `self-harm-urges`, but its text on track `beta` does not say: urges to hurt yourself" in line


def test_a_family_page_that_mentions_suicide_covers_means_safety(psychoed, mini):
    edit(mini, TALKING, "minutes: 60", "minutes: 60\n" + NOTE.strip())
    asking = "Ask directly about suicide. It does not put the idea in their head. You can {{ crisis.line.how }}."
    say(mini, asking)
    [line] = findings(check(psychoed, mini), "safety-topics")
    assert line.startswith(at(mini, TALKING, 11, "suicide") + " error: [safety-topics] a family page that mentions "
                           "suicide must cover `means-safety`")
    covers(mini, TALKING, "means-safety")
    edit(mini, TALKING, asking, asking + " " + MEANS)
    run = check(psychoed, mini)
    assert findings(run, "safety-topics") == [] and findings(run, "safe-messaging") == []


# --- safe messaging: means-safety advice is allowed, method description is not -------------

def test_storage_advice_near_suicide_is_allowed_but_a_method_is_flagged(psychoed, mini):
    edit(mini, TALKING, "minutes: 60", "minutes: 60\n" + NOTE.strip())
    say(mini, MEANS)
    assert findings(check(psychoed, mini), "safe-messaging") == []
    edit(mini, TALKING, MEANS, "If you worry about suicide, know that some people use a gun. You can {{ crisis.line.how }}.")
    [line] = findings(check(psychoed, mini), "safe-messaging")
    assert "method or location word “gun” near a mention of suicide" in line


# --- near-copy variants ------------------------------------------------------------------------

SECTION = ("Slow breathing tells your body that you are safe. When you breathe out for longer than you breathe "
           "in, your heart rate slows a little, and many people feel calmer within a few minutes of practice. ")


def test_a_variant_that_copies_the_base_text_is_a_warning(psychoed, mini):
    edit(mini, BREATHING, "      Slow breathing helps with {{ track.vars.condition }}.", "      " + SECTION * 2)
    copy = SECTION.replace("many people", "most people")
    edit(mini, BREATHING, "    main_message: Beta variant message for {{ track.title }}.",
         "    main_message: Beta variant message for {{ track.title }}.\n    sections:\n      - heading: Why it helps\n"
         f"        body: {copy * 2}\n      - heading: Try it\n        steps: [Breathe in., Breathe out slowly.]")
    run = check(psychoed, mini)
    [line] = findings(run, "near-copy")
    assert line.startswith(f"curriculum/{BREATHING}:32:3: warning: [near-copy] the `beta` variant is 9")
    assert "(tailor it or drop it)" in line and run.code == 0


def test_a_tailored_variant_is_not_a_near_copy(psychoed, mini):
    edit(mini, BREATHING, "      Slow breathing helps with {{ track.vars.condition }}.", "      " + SECTION * 2)
    tailored = ("On the beta track, use slow breathing before a hard conversation or a meeting. Try it in the "
                "car park, at your desk or in the bathroom: nobody needs to know you are doing it. ")
    edit(mini, BREATHING, "    main_message: Beta variant message for {{ track.title }}.",
         "    main_message: Beta variant message for {{ track.title }}.\n    sections:\n      - heading: Why it helps\n"
         f"        body: {tailored * 2}\n      - heading: Try it\n        steps: [Breathe in., Breathe out slowly.]")
    assert findings(check(psychoed, mini), "near-copy") == []


# --- readability: runs of very short sentences ---------------------------------------------

def test_four_very_short_sentences_in_a_row_are_a_warning(psychoed, mini):
    say(mini, "Listen first. Do not fix. Nod and wait. Ask one question. Then you can share what you think about it.")
    run = check(psychoed, mini)
    [line] = [line for line in findings(run, "readability") if "very short sentences" in line]
    assert line.startswith(f"curriculum/{TALKING}:10:11: warning: [readability] 4 very short sentences in a row")


def test_joined_sentences_lists_and_quoted_examples_are_not_choppy(psychoed, mini):
    say(mini, "Listen first and do not rush to fix things. Nod and wait. Ask one question, then share what you think."
              ' You might hear "I am tired." "I am scared." "I am alone." "I am done."')
    edit(mini, TALKING, "key_points: [Listening helps.]", "key_points: [Listen., Wait., Nod., Ask.]")
    assert [line for line in findings(check(psychoed, mini), "readability") if "very short" in line] == []


# --- the substance-use rule set's phrases ----------------------------------------------------

def test_substance_use_tracks_warn_on_cold_turkey_and_hitting_bottom(psychoed, mini):
    name_substance_use(mini)
    breathing_says(mini, "Some people quit cold turkey. Others wait to hit rock bottom.")
    lines = findings(check(psychoed, mini), "substance-use")
    assert len(lines) == 2 and all(" warning: [substance-use] " in line for line in lines)
    assert any("avoid “cold turkey”" in line for line in lines) and any("avoid “hit rock bottom”" in line for line in lines)

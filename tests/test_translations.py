"""Translation overlays (`<stem>.<lang>.yml`): loading, located errors, staleness hashes, the
`psychoed translations` report and `--stamp`, and the Spanish content rules."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from conftest import BUNDLED, MINI
from generator.load import load_curriculum
from generator.translations.spanish import inflesz_band, spanish_reading, syllable_count, syllables
from generator.translations.translate import translate

MINI_ES = Path(__file__).resolve().parent / "fixtures" / "mini_es"
DECLARED = "translations:\n  es:\n    tracks: [alpha]\n    fallback: true\n"


@pytest.fixture
def mini_es(tmp_path) -> Path:
    """The mini curriculum with `es` declared for track alpha (with fallback) and three overlays."""
    target = tmp_path / "curriculum"
    shutil.copytree(MINI, target)
    shutil.copytree(MINI_ES, target, dirs_exist_ok=True)
    (target / "README.md").unlink()
    with open(target / "program.yml", "a", encoding="utf-8") as program:
        program.write(DECLARED)
    return target


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- loading --------------------------------------------------------------------------------


def test_overlays_load_beside_their_sources_and_are_not_items_of_their_own(mini_es, psychoed):
    curriculum = load_curriculum(mini_es)
    assert sorted(curriculum.modules) == ["breathing", "talking"]
    assert list(curriculum.worksheets) == ["log"]
    assert sorted(curriculum.tracks) == ["alpha", "beta"]
    assert sorted(curriculum.overlays) == [("es", "module", "breathing"), ("es", "track", "alpha"),
                                           ("es", "worksheet", "log")]
    log = curriculum.overlays[("es", "worksheet", "log")]
    assert log.reviewed and log.reviewed_by == "Ana Pérez, LCSW"
    assert log.texts[("fields", 3, "options", 1)] == "Una caminata"
    run = psychoed("check", "--curriculum", mini_es)
    assert run.code == 0, run.out


def test_overlay_structure_errors_are_located_with_hints(mini_es, psychoed):
    write(mini_es / "modules" / "skills" / "breathing.es.yml", """\
title: Respiración
code: SK-1
titel: Respiración
key_points:
  - Solo uno.
sections:
  - heading: Por qué ayuda
    colour: azul
  - {}
objectives: Aprender.
references:
  - {author: Otro}
""")
    run = psychoed("check", "--curriculum", mini_es)
    assert run.code == 1
    shown = "curriculum/modules/skills/breathing.es.yml"
    assert f"{shown}:2:1: error: `code` is not text a reader sees, so it is not translated — leave it out" in run.out
    assert f"{shown}:3:1: error: `titel` is not in the source file — did you mean `title`?" in run.out
    assert f"{shown}:5:3: error: `key_points` has 1 item(s); the source has 2 — translate every item" in run.out
    assert f"{shown}:8:5: error: `colour` is not in the source file" in run.out
    assert f"{shown}:10:13: error: `objectives` should be a list, as in the source" in run.out
    assert f"{shown}:12:6: error: `author` is not text a reader sees" in run.out


def test_overlay_for_an_undeclared_language_and_without_a_source(mini_es, psychoed):
    write(mini_es / "worksheets" / "log.fr.yml", "title: Journal\n")
    write(mini_es / "worksheets" / "missing.es.yml", "title: Nada\n")
    run = psychoed("check", "--curriculum", mini_es)
    assert run.code == 1
    assert ("curriculum/worksheets/log.fr.yml:1:1: error: a translation into `fr`, which program.yml does not "
            "declare (declared: `es`) — add `translations: {fr: {tracks: [...]}}` to program.yml") in run.out
    assert "curriculum/worksheets/missing.es.yml:1:1: error: no source file `curriculum/worksheets/missing.yml`" in run.out
    assert "unknown" not in run.out  # neither file was read as a worksheet of its own


def test_without_fallback_every_published_file_and_field_needs_a_translation(mini_es, psychoed):
    replace_in(mini_es / "program.yml", "fallback: true", "fallback: false")
    run = psychoed("check", "--curriculum", mini_es)
    assert run.code == 1
    assert ("curriculum/program.yml:1:1: error: no `es` translation of this file, which the `es` edition of "
            "`alpha` shows — write program.es.yml beside it") in run.out
    assert "curriculum/modules/family-education/talking.yml:1:1: error: no `es` translation" in run.out
    assert ("curriculum/modules/skills/breathing.es.yml:1:1: error: `discussion.0` is not translated — translate "
            "curriculum/modules/skills/breathing.yml:20, or set `fallback: true`") in run.out
    assert "beta" not in run.out  # track beta is not published in Spanish
    assert not [line for line in run.lines if "worksheets/log" in line and ": error:" in line]  # fully translated


# --- staleness ------------------------------------------------------------------------------


def test_editing_a_source_sentence_makes_check_report_the_stale_translation_and_stamp_clears_it(mini_es, psychoed):
    overlay = mini_es / "modules" / "skills" / "breathing.es.yml"
    before = overlay.read_text(encoding="utf-8")
    run = psychoed("check", "--curriculum", mini_es)
    assert ("curriculum/modules/skills/breathing.es.yml:1:1: warning: [translation-stale] this translation has no "
            "source hashes") in run.out
    stamped = psychoed("translations", "--curriculum", mini_es, "--stamp", overlay)
    assert stamped.code == 0 and stamped.lines == ["stamped curriculum/modules/skills/breathing.es.yml"]
    after = overlay.read_text(encoding="utf-8")
    assert after.startswith(before)  # every byte the translator wrote is kept
    assert '\n  sections.0.body: "' in after and '\n  title: "' in after
    assert psychoed("check", "--strict", "--curriculum", mini_es).out.count("translation-stale") == 2  # the others

    replace_in(mini_es / "modules" / "skills" / "breathing.yml", "Slow breaths calm the body.",
               "Slow breaths calm the body and the mind.")
    run = psychoed("check", "--curriculum", mini_es)
    assert run.code == 0
    stale = [line for line in run.lines if "breathing.es.yml" in line]
    assert stale == ["curriculum/modules/skills/breathing.es.yml:3:15: warning: [translation-stale] stale "
                     "translation: the source text of `main_message` (curriculum/modules/skills/breathing.yml:4) "
                     "changed after this was translated (update the translation to match, then run `psychoed "
                     "translations --stamp curriculum/modules/skills/breathing.es.yml`)"]
    report = json.loads(psychoed("translations", "--curriculum", mini_es, "--format", "json").out)
    assert report[0]["stale"] == 1

    replace_in(overlay, "Respirar despacio calma el cuerpo.", "Respirar despacio calma el cuerpo y la mente.")
    psychoed("translations", "--curriculum", mini_es, "--stamp", overlay)
    assert "breathing.es.yml" not in psychoed("check", "--curriculum", mini_es).out
    restamp = overlay.read_text(encoding="utf-8")
    assert restamp.count("source_hashes:") == 1
    psychoed("translations", "--curriculum", mini_es, "--stamp")  # all files: this one is unchanged
    assert overlay.read_text(encoding="utf-8") == restamp


def test_stamp_rewrites_only_the_hash_block_in_the_middle_of_a_file(mini_es, psychoed):
    overlay = write(mini_es / "tracks" / "alpha.es.yml", """\
title: Alfa
source_hashes:
  title: "000000000000"
  gone.field: "111111111111"

# the schedule
summary: El programa alfa.
""")
    assert psychoed("translations", "--curriculum", mini_es, "--stamp", overlay).code == 0
    alpha, summary = (hashlib.sha256(text.encode()).hexdigest()[:12] for text in ("Alpha", "The alpha track."))
    assert overlay.read_text(encoding="utf-8") == f"""\
title: Alfa
source_hashes:
  title: "{alpha}"
  summary: "{summary}"

# the schedule
summary: El programa alfa.
"""


def test_stamp_refuses_a_file_that_is_not_a_translation(mini_es, psychoed):
    run = psychoed("translations", "--curriculum", mini_es, "--stamp", mini_es / "tracks" / "alpha.yml")
    assert run.code == 2 and "is not a translation file" in run.err


# --- report ---------------------------------------------------------------------------------


def test_report_counts_translated_stale_and_never_translated_fields(mini_es, psychoed):
    run = psychoed("translations", "--curriculum", mini_es)
    assert run.code == 0
    assert run.lines[0] == ("es · alpha: 61% translated (36 of 59 fields), 0 stale, 36 unstamped, "
                            "23 never translated")
    assert "  curriculum/worksheets/log.es.yml: 17/17 fields, reviewed by Ana Pérez, LCSW on 2026-11-20" in run.lines
    assert "  curriculum/modules/skills/breathing.es.yml: 15/17 fields, awaits clinical review" in run.lines
    assert "  curriculum/program.yml: 0/11 fields, not translated" in run.lines
    assert "    curriculum/modules/skills/breathing.yml:20: discussion.0" in run.lines
    report = json.loads(psychoed("translations", "--curriculum", mini_es, "--format", "json").out)
    assert [(r["language"], r["track"], r["fields"], r["translated"], r["percent"]) for r in report] == [
        ("es", "alpha", 59, 36, 61.0)]
    assert len(report[0]["never_translated"]) == 23
    assert {"field": "vars.condition", "path": "curriculum/tracks/alpha.yml", "line": 4} in report[0]["never_translated"]


# --- the translated curriculum ------------------------------------------------------------


def test_translate_replaces_text_and_says_what_falls_back_and_awaits_review(mini_es):
    translation = translate(load_curriculum(mini_es), "es")
    curriculum = translation.curriculum
    assert curriculum.program.language == "es"
    breathing = curriculum.modules["breathing"]
    assert breathing.title == "Respiración" and breathing.code == "SK-1" and breathing.minutes == 50
    assert breathing.sections[1].steps == ["Tome aire.", "Suelte el aire despacio."]
    assert breathing.discussion == ["When could you use this?"]  # untranslated: the source text
    assert breathing.variants["beta"].main_message.startswith("Beta variant")
    assert curriculum.worksheets["log"].fields[3].options == ["Respirar", "Una caminata"]
    assert curriculum.source("module", "breathing").path.endswith("breathing.es.yml")
    assert translation.falls_back("module", "breathing") and translation.falls_back("program", "program")
    assert not translation.falls_back("worksheet", "log")
    assert translation.awaits_review("module", "breathing") and not translation.awaits_review("worksheet", "log")


def test_overlay_text_that_breaks_the_schema_is_an_error_at_the_overlay(mini_es, psychoed):
    write(mini_es / "program.es.yml", "crisis:\n  - {how: Llame al 988.}\n  - {}\n")
    run = psychoed("check", "--curriculum", mini_es)
    assert run.code == 1
    assert "curriculum/program.es.yml:2:11: error: `crisis[0].how` is not valid: should be a lowercase phrase" in run.out


# --- Spanish content rules ------------------------------------------------------------------


def test_spanish_phrase_rules_apply_to_spanish_text_only(mini_es, psychoed):
    replace_in(mini_es / "modules" / "skills" / "breathing.es.yml", "Respirar despacio calma el cuerpo.",
               "Un adicto que cometió suicidio no tuvo ayuda.")
    replace_in(mini_es / "modules" / "skills" / "breathing.yml", "Learn slow breathing.",
               "Learn slow breathing (respiración, not adicto).")
    run = psychoed("check", "--curriculum", mini_es)
    shown = "curriculum/modules/skills/breathing.es.yml"
    assert f"{shown}:3:18: error: [person-first-es] avoid “adicto” (use: persona con un trastorno" in run.out
    assert f"{shown}:3:29: error: [safe-messaging-es] avoid “cometió suicidio” (use: murió por suicidio)" in run.out
    assert "breathing.yml:" not in run.out  # Spanish words in English text are not checked by Spanish rules


def test_spanish_readability_finding_uses_the_inflesz_scale_at_the_overlay(mini_es, psychoed):
    hard = ("La psicoeducación interdisciplinaria proporciona conocimientos fundamentales sobre "
            "neurobiología, farmacología y comportamiento, considerando simultáneamente características "
            "socioculturales, económicas, familiares e institucionales extraordinariamente heterogéneas.")
    replace_in(mini_es / "modules" / "skills" / "breathing.es.yml",
               "main_message: Respirar despacio calma el cuerpo.", f"main_message: {hard}")
    run = psychoed("check", "--curriculum", mini_es)
    finding = [line for line in run.lines if "[readability]" in line]
    assert len(finding) == 1 and finding[0].startswith("curriculum/modules/skills/breathing.es.yml:1:8: ")
    assert "module text reads at INFLESZ" in finding[0] and "aim for INFLESZ 65 or higher" in finding[0]


def test_check_keeps_the_translated_text_results_and_recomputes_only_an_edited_overlay(mini_es, monkeypatch, tmp_path):
    import generator.lint as lint_module
    from generator.check import check_curriculum
    from generator.check_cache import CheckCache

    replace_in(mini_es / "modules" / "skills" / "breathing.es.yml", "Respirar despacio calma el cuerpo.",
               "Un adicto no tuvo ayuda.")
    measured: list[str] = []
    measure = lint_module.module_findings

    def counting(curriculum, module, *args):
        measured.append(f"{curriculum.program.language}:{module.id}")
        return measure(curriculum, module, *args)

    monkeypatch.setattr(lint_module, "module_findings", counting)
    build_dir = tmp_path / "build"
    first = check_curriculum(mini_es, cache_dir=build_dir)
    assert "es:breathing" in measured and "en:breathing" in measured
    spanish = [d for d in first.diagnostics if d.rule == "person-first-es"]
    assert [d.path.endswith("breathing.es.yml") for d in spanish] == [True]

    measured.clear()
    again = check_curriculum(mini_es, cache_dir=build_dir)
    assert measured == [] and again.diagnostics == first.diagnostics, "nothing unchanged is measured again"

    replace_in(mini_es / "modules" / "skills" / "breathing.es.yml", "Un adicto no tuvo ayuda.",
               "Respirar despacio calma el cuerpo.")
    edited = check_curriculum(mini_es, cache_dir=build_dir)
    assert measured == ["es:breathing"], "only the edited translation is measured again"
    assert not any(d.rule == "person-first-es" for d in edited.diagnostics)
    assert edited.diagnostics == check_curriculum(mini_es).diagnostics

    memory = CheckCache.in_memory()  # the live preview's checker keeps its results between saves
    check_curriculum(mini_es, cache=memory)
    measured.clear()
    assert check_curriculum(mini_es, cache=memory).diagnostics == edited.diagnostics and measured == []


SYLLABLES = {
    # hiatus: a stressed weak vowel next to a strong one, or two strong vowels
    "día": "dí-a", "país": "pa-ís", "reír": "re-ír", "oído": "o-í-do", "baúl": "ba-úl", "leer": "le-er",
    "poeta": "po-e-ta", "aéreo": "a-é-re-o", "caído": "ca-í-do", "tenía": "te-ní-a",
    # diphthongs and triphthongs
    "aire": "ai-re", "ciudad": "ciu-dad", "cuidado": "cui-da-do", "huevo": "hue-vo", "bien": "bien",
    "causa": "cau-sa", "buey": "buey", "Uruguay": "u-ru-guay", "estudiáis": "es-tu-diáis", "averiguáis": "a-ve-ri-guáis",
    # qu / gu + e, i: the u is silent; gü is heard
    "queso": "que-so", "tranquilo": "tran-qui-lo", "guerra": "gue-rra", "guitarra": "gui-ta-rra",
    "pingüino": "pin-güi-no", "agua": "a-gua",
    # ll, rr, ch are one consonant
    "calle": "ca-lle", "perro": "pe-rro", "noche": "no-che", "llorar": "llo-rar", "mucho": "mu-cho",
    # consonant clusters
    "instante": "ins-tan-te", "abstracto": "abs-trac-to", "problema": "pro-ble-ma", "otro": "o-tro",
    "transporte": "trans-por-te", "construir": "cons-truir", "ayuda": "a-yu-da", "hoy": "hoy", "muy": "muy",
    "y": "y", "reyes": "re-yes", "ahora": "a-ho-ra", "emoción": "e-mo-ción",
}


@pytest.mark.parametrize("word,expected", SYLLABLES.items())
def test_spanish_syllables(word, expected):
    assert "-".join(syllables(word)) == expected.lower() if word[0].isupper() else expected
    assert syllable_count(word) == expected.count("-") + 1


def test_szigriszt_pazos_on_known_text():
    # 7 words, 2 sentences; syllables: el 1, ga-to 2, co-me 2, la 1, ca-sa 2, es 1, gran-de 2 = 11
    easy = spanish_reading("El gato come. La casa es grande.")
    assert (easy.words, easy.sentences, easy.syllables) == (7, 2, 11)
    assert easy.szigriszt_pazos == pytest.approx(206.835 - 62.3 * 11 / 7 - 7 / 2)
    # 1 sentence of 8 words; dí-a 2 (hiatus, which hyphenation-based counts read as one), to-dos 2, los 1,
    # dí-as 2, res-pi-ro 3, des-pa-cio 3 (cio: diphthong), en 1, mi 1, pa-ís 2
    hiatus = spanish_reading("Todos los días respiro despacio en mi país.")
    assert hiatus.syllables == 2 + 1 + 2 + 3 + 3 + 1 + 1 + 2
    assert hiatus.szigriszt_pazos == pytest.approx(206.835 - 62.3 * 15 / 8 - 8)  # 82.0
    assert inflesz_band(hiatus.szigriszt_pazos) == "muy fácil"
    assert inflesz_band(70) == "bastante fácil" and inflesz_band(60) == "normal"
    assert inflesz_band(30) == "muy difícil" and inflesz_band(85) == "muy fácil"


# --- the notes on translated pages -----------------------------------------------------------


def test_translated_pages_say_when_they_await_review_or_show_english_text(mini_es):
    import markdown

    from generator.render import render_track
    from generator.tailor import tailor

    translation = translate(load_curriculum(mini_es), "es")
    site = render_track(tailor(translation.curriculum, "alpha"), translation=translation)
    review = "Esta traducción está pendiente de revisión clínica."
    english = ("Algunas partes de esta página todavía no están traducidas y se muestran en el idioma original.")
    module = site.pages["modules/skills/breathing.md"]
    assert module.startswith("# Respiración\n\n!!! note psy-translation-note \"\"\n\n    " + review + " " + english)
    assert review not in site.pages["worksheets/log.md"]  # reviewed ...
    assert english in site.pages["worksheets/log.md"]  # ... but the program's text (crisis help) is English
    html = markdown.markdown(module, extensions=["admonition", "attr_list", "md_in_html"])
    assert '<div class="admonition note psy-translation-note">' in html and review in html

    untranslated = render_track(tailor(load_curriculum(mini_es), "alpha"))
    assert not [page for page in untranslated.pages.values() if "psy-translation-note" in page]


def test_a_translated_variant_and_an_unknown_translated_track(mini_es, psychoed):
    replace_in(mini_es / "program.yml", "tracks: [alpha]", "tracks: [alpha, beta, gama]")
    replace_in(mini_es / "modules" / "skills" / "breathing.es.yml", "title: Respiración\n",
               "title: Respiración\nvariants:\n  beta:\n    main_message: Mensaje de la variante para {{ track.title }}.\n")
    run = psychoed("check", "--curriculum", mini_es)
    assert run.code == 1
    assert "curriculum/program.yml:25:27: error: unknown track `gama` — tracks: alpha, beta" in run.out
    report = json.loads(psychoed("translations", "--curriculum", mini_es, "--format", "json").out)
    beta = next(r for r in report if r["track"] == "beta")
    assert {"field": "variants.beta.facilitator.notes", "path": "curriculum/modules/skills/breathing.yml",
            "line": 35} in beta["never_translated"]
    translated = translate(load_curriculum(mini_es), "es").curriculum.modules["breathing"]
    assert translated.variants["beta"].main_message == "Mensaje de la variante para {{ track.title }}."


def test_a_translation_into_the_source_language_is_refused(mini_es, psychoed):
    replace_in(mini_es / "program.yml", "translations:\n  es:", "translations:\n  en: {tracks: [alpha]}\n  es:")
    run = psychoed("check", "--curriculum", mini_es)
    assert run.code == 1
    assert ("curriculum/program.yml:24:3: error: a translation into `en`, the language the curriculum is written "
            "in — remove this entry") in run.out


def test_a_translation_keeps_crisis_values_and_module_links_of_the_source(mini_es, psychoed):
    replace_in(mini_es / "modules" / "skills" / "breathing.es.yml", "luego {{ crisis.line.how }}.",
               "luego llame al 988.")
    replace_in(mini_es / "modules" / "skills" / "breathing.es.yml", "title: Respiración",
               "title: Respiración {{ track.title }}")
    run = psychoed("check", "--curriculum", mini_es)
    assert run.code == 1
    shown = "curriculum/modules/skills/breathing.es.yml"
    assert (f"{shown}:18:5: error: the translation of `practice.0` leaves out the value `{{{{ crisis.line.how }}}}` "
            "that the source has — keep every {{ … }} value") in run.out
    assert f"{shown}:1:8: error: the translation of `title` adds the value `{{{{ track.title }}}}`" in run.out


def test_stale_crisis_help_is_an_error_not_a_warning(psychoed, tmp_path):
    """Spanish crisis help that no longer says what program.yml says could send a reader to the
    wrong line: the bundled program's changed `how` stops check at the translation's line."""
    curriculum = tmp_path / "curriculum"
    shutil.copytree(BUNDLED, curriculum)
    replace_in(curriculum / "program.yml", "how: call or text 988", "how: call or text 988 or chat online")
    run = psychoed("check", "--curriculum", curriculum)
    assert run.code == 1
    def line_of(file: str, start: str) -> int:
        return next(n for n, text in enumerate((curriculum / file).read_text().splitlines(), 1)
                    if text.strip().startswith(start))

    line, source_line = line_of("program.es.yml", "how: llame al 988"), line_of("program.yml", "how: call or text 988")
    assert [entry for entry in run.lines if "error" in entry] == [
        f"curriculum/program.es.yml:{line}:10: error: [translation-stale] stale translation: the source text of "
        f"`crisis.0.how` (curriculum/program.yml:{source_line}) changed after this was translated, and crisis help must say "
        "the same in every language (update the translation to match, then run `psychoed translations --stamp "
        "curriculum/program.es.yml`)"]


def test_a_crisis_line_keyword_is_the_one_key_an_overlay_may_add(mini_es, psychoed):
    """`sms_body` (AYUDA) is the language's own word, so program.es.yml may give it where
    program.yml has none; anywhere else a key the source lacks is an error."""
    write(mini_es / "program.es.yml", "crisis:\n  - name: Línea 988\n    sms_body: AYUDA\n  - {}\n")
    line = translate(load_curriculum(mini_es), "es").curriculum.program.crisis_role("line")
    assert (line.name, line.sms, line.sms_body) == ("Línea 988", "988", "AYUDA")
    write(mini_es / "program.es.yml", "crisis:\n  - name: Línea 988\n    sms_bdy: AYUDA\n  - {}\n")
    run = psychoed("check", "--curriculum", mini_es)
    assert run.code == 1 and "`sms_bdy` is not in the source file" in run.out, run.out

"""Every class of author mistake gets one line `path:line:col: error: message`, and exit status 1.

Each test breaks a copy of the small fixture curriculum in one way and asserts the exact
file, line and column printed, the way an author would see it.
"""

from __future__ import annotations

import time

import pytest


def write(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path}"
    write(path, text.replace(old, new, 1))


def problems(run) -> list[str]:
    return [line for line in run.lines if ": error: " in line or ": warning: " in line]


def test_valid_fixture_passes(psychoed, mini):
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 0, run.out
    assert problems(run) == []


def test_yaml_syntax_error(psychoed, mini):
    replace(mini / "tracks" / "beta.yml", "title: Beta", "title: [Beta")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    [line] = problems(run)
    assert line.startswith("curriculum/tracks/beta.yml:2:8: error: YAML syntax error")
    assert "that starts at line 1" in line


def test_empty_file(psychoed, mini):
    write(mini / "worksheets" / "log.yml", "# nothing here yet\n")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    assert "curriculum/worksheets/log.yml:1:1: error: file is empty" in run.out


def test_file_that_is_not_utf8(psychoed, mini):
    (mini / "tracks" / "beta.yml").write_bytes("title: Beta\nsummary: caf\xe9 time\n".encode("latin-1"))
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    [line] = problems(run)
    assert line.startswith("curriculum/tracks/beta.yml:2:13: error: file is not UTF-8 text")


def test_wrong_type(psychoed, mini):
    replace(mini / "modules" / "family-education" / "talking.yml", "minutes: 60", "minutes: an hour")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    [line] = problems(run)
    assert line.startswith("curriculum/modules/family-education/talking.yml:4:10: error: `minutes` should be a whole number")


def test_number_where_text_is_expected_hints_quotes(psychoed, mini):
    replace(mini / "modules" / "skills" / "breathing.yml", "code: SK-1", "code: 7")
    run = psychoed("check", "--curriculum", mini)
    [line] = problems(run)
    assert line.startswith("curriculum/modules/skills/breathing.yml:2:7: error: `code` should be text")
    assert "quotes" in line


def test_missing_required_field(psychoed, mini):
    replace(mini / "modules" / "family-education" / "talking.yml", "main_message: Listen first.\n", "")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    [line] = problems(run)
    assert line.startswith("curriculum/modules/family-education/talking.yml:1:1: error: missing required field `main_message`")


def test_missing_field_in_a_nested_mapping_points_at_the_mapping(psychoed, mini):
    replace(mini / "worksheets" / "log.yml", "{type: table, label: This week, columns: [Day, Minutes], rows: 3}",
            "{type: table, label: This week, rows: 3}")
    run = psychoed("check", "--curriculum", mini)
    [line] = problems(run)
    assert line.startswith("curriculum/worksheets/log.yml:8:5: error: missing required field `columns`")


def test_unknown_field_suggests_the_right_name(psychoed, mini):
    replace(mini / "modules" / "skills" / "breathing.yml", "objectives:", "objectivs:")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    assert "curriculum/modules/skills/breathing.yml:6:1: error: unknown field `objectivs` in the file" \
           " — did you mean `objectives`?" in run.out


def test_unknown_field_inside_a_variant(psychoed, mini):
    replace(mini / "modules" / "skills" / "breathing.yml", "    main_message: Beta", "    main_mesage: Beta")
    run = psychoed("check", "--curriculum", mini)
    [line] = problems(run)
    assert line.startswith("curriculum/modules/skills/breathing.yml:33:5: error: unknown field `main_mesage`")
    assert "did you mean `main_message`?" in line


def test_unknown_module_reference(psychoed, mini):
    replace(mini / "tracks" / "alpha.yml", "      - module: talking", "      - module: talkin")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    [line] = problems(run)
    assert line == "curriculum/tracks/alpha.yml:9:17: error: unknown module `talkin` — did you mean `talking`?"


def test_unknown_module_lists_known_ids_when_nothing_is_close(psychoed, mini):
    replace(mini / "tracks" / "beta.yml", "module: breathing", "module: zzz")
    run = psychoed("check", "--curriculum", mini)
    [line] = problems(run)
    assert line == "curriculum/tracks/beta.yml:8:17: error: unknown module `zzz` — known modules: breathing, talking"


def test_unknown_worksheet_reference(psychoed, mini):
    replace(mini / "modules" / "skills" / "breathing.yml", "worksheets: [log]", "worksheets: [log, diary]")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    [line] = problems(run)
    assert line.startswith("curriculum/modules/skills/breathing.yml:23:19: error: unknown worksheet `diary`")


def test_unknown_track_reference(psychoed, mini):
    replace(mini / "modules" / "family-education" / "talking.yml", "minutes: 60", "minutes: 60\ntracks: [alpha, gamma]")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    [line] = problems(run)
    assert line.startswith("curriculum/modules/family-education/talking.yml:5:17: error: unknown track `gamma`")


def test_variant_for_unknown_track(psychoed, mini):
    replace(mini / "modules" / "skills" / "breathing.yml", "  beta:\n", "  betta:\n")
    run = psychoed("check", "--curriculum", mini)
    [line] = problems(run)
    assert line.startswith("curriculum/modules/skills/breathing.yml:32:3: error: variant for unknown track `betta`")
    assert "did you mean `beta`?" in line


def test_unknown_family(psychoed, mini):
    replace(mini / "modules" / "skills" / "breathing.yml", "code: SK-1", "code: SK-1\nfamily: skils")
    run = psychoed("check", "--curriculum", mini)
    [line] = problems(run)
    assert line == "curriculum/modules/skills/breathing.yml:3:9: error: unknown family `skils` — did you mean `skills`?"


def test_module_scheduled_on_a_track_it_is_not_written_for(psychoed, mini):
    replace(mini / "modules" / "family-education" / "talking.yml", "minutes: 60", "minutes: 60\ntracks: [beta]")
    run = psychoed("check", "--curriculum", mini)
    [line] = problems(run)
    assert line.startswith("curriculum/tracks/alpha.yml:9:17: error: module `talking` is not written for track `alpha`")


def test_duplicate_ids_across_files(psychoed, mini):
    other = mini / "modules" / "family-education" / "breathing-again.yml"
    write(other, (mini / "modules" / "skills" / "breathing.yml").read_text().replace("title: Breathing", "id: breathing\ntitle: B"))
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    [line] = problems(run)
    assert line.startswith("curriculum/modules/skills/breathing.yml:1:1: error: duplicate module id `breathing`") or \
        line.startswith("curriculum/modules/family-education/breathing-again.yml:1:1: error: duplicate module id `breathing`")
    assert "also defined in curriculum/modules/" in line


def test_undefined_track_variable_at_the_line_of_the_text(psychoed, mini):
    replace(mini / "modules" / "skills" / "breathing.yml", "Slow breathing helps with {{ track.vars.condition }}.",
            "Slow breathing helps with {{ track.vars.conditon }}.")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    found = problems(run)
    # Both tracks lack `conditon`; each is named, both at the exact line and column of the use.
    assert found == [
        "curriculum/modules/skills/breathing.yml:14:47: error: undefined variable `conditon` for track `alpha` — "
        "define it under `vars:` in the track file, or use one of: track.vars.condition",
        "curriculum/modules/skills/breathing.yml:14:47: error: undefined variable `conditon` for track `beta` — "
        "define it under `vars:` in the track file, or use one of: track.vars.condition",
    ]


def test_undefined_variable_only_in_a_variant_names_the_variant_line(psychoed, mini):
    replace(mini / "modules" / "skills" / "breathing.yml", "Beta variant message for {{ track.title }}.",
            "Beta variant message for {{ track.vars.nope }}.")
    run = psychoed("check", "--curriculum", mini)
    [line] = problems(run)
    assert line.startswith("curriculum/modules/skills/breathing.yml:33:58: error: undefined variable `nope` for track `beta`")


def test_template_syntax_error(psychoed, mini):
    replace(mini / "modules" / "skills" / "breathing.yml", "summary: Slow breathing for {{ track.vars.condition }}.",
            "summary: Slow breathing for {{ track.vars.condition.")
    run = psychoed("check", "--curriculum", mini)
    found = problems(run)
    assert found and all(line.startswith("curriculum/modules/skills/breathing.yml:3:29: error: template syntax error")
                         for line in found)


def test_alias_bomb_is_refused_quickly(psychoed, mini):
    bomb = ["title: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    write(mini / "worksheets" / "log.yml", "\n".join(bomb) + "\n")
    started = time.perf_counter()
    run = psychoed("check", "--curriculum", mini)
    assert time.perf_counter() - started < 5, "an alias bomb must be refused, not expanded"
    assert run.code == 1
    [line] = problems(run)
    assert line.startswith("curriculum/worksheets/log.yml:")
    assert "expands to more than" in line


def test_hostile_html_in_content_is_refused(psychoed, mini):
    replace(mini / "modules" / "family-education" / "talking.yml", "body: Listen more than you talk.",
            "body: Listen <script>alert('x')</script> more.")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    [line] = problems(run)
    assert line.startswith("curriculum/modules/family-education/talking.yml:10:18: error: raw HTML `<script>`")


def test_script_links_are_refused(psychoed, mini):
    replace(mini / "modules" / "family-education" / "talking.yml", "body: Listen more than you talk.",
            "body: '[Click](javascript:alert(1))'")
    run = psychoed("check", "--curriculum", mini)
    [line] = problems(run)
    assert line.startswith("curriculum/modules/family-education/talking.yml:10:20: error: links may only point to web pages")


def test_every_problem_is_reported_at_once(psychoed, mini):
    replace(mini / "tracks" / "beta.yml", "module: breathing", "module: zzz")
    replace(mini / "worksheets" / "log.yml", "lines: 2", "lines: two")
    write(mini / "tracks" / "gamma.yml", "title: [broken\n")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    found = problems(run)
    assert [line.split(":")[0] for line in found] == [
        "curriculum/tracks/beta.yml", "curriculum/tracks/gamma.yml", "curriculum/worksheets/log.yml"]
    assert "Traceback" not in run.out + run.err


def test_missing_program_file(psychoed, mini):
    (mini / "program.yml").unlink()
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    assert run.lines[0].startswith("curriculum/program.yml:1:1: error: missing file program.yml")


@pytest.mark.parametrize("args", [("check", "--curriculum", "no-such-folder"), ("frobnicate",)])
def test_usage_errors_exit_2(psychoed, tmp_path, args):
    with pytest.raises(SystemExit) if args == ("frobnicate",) else _no_raise() as raised:
        run = psychoed(*args, cwd=tmp_path)
    code = raised.value.code if args == ("frobnicate",) else run.code
    assert code == 2


def test_unknown_track_on_build_is_a_usage_error(psychoed, mini, tmp_path):
    run = psychoed("build", "--curriculum", mini, "--out", tmp_path / "site", "--track", "gamma")
    assert run.code == 2
    assert "unknown track gamma; known tracks: alpha, beta" in run.err


class _no_raise:
    value = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

"""Only the work an edit needs: the build manifest, the check cache and the progress lines.

The one real build of the mini fixture (two tracks, 13 PDFs) that the test run shares; each
test works on its own copy of that project folder (curriculum, site and build folder moved as a
whole, which keeps them up to date), so a test pays only for the rebuild it checks.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import MINI_PROGRESS
from generator.build import BuildPaths, build
from generator.build_cache import MANIFEST_FILE
from generator.check import check_curriculum
from generator.check_cache import CACHE_FILE
from generator.progress import PlainLines, for_stream

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@dataclass(frozen=True)
class Built:
    project: Path
    progress: str  # what the first build printed on its progress stream


def paths_of(project: Path) -> BuildPaths:
    return BuildPaths(project / "curriculum", project / "site", project / "build")


def file_times(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built_once(built_mini) -> Built:
    """The shared first build of the mini fixture (conftest's built_mini): read-only, copied by `project`."""
    return Built(built_mini, (built_mini / MINI_PROGRESS).read_text(encoding="utf-8"))


@pytest.fixture
def project(built_once, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(built_once.project, copy, symlinks=True)
    return copy


def test_a_build_with_nothing_changed_checks_renders_and_builds_nothing(project, psychoed):
    site_before = file_times(project / "site")
    report = build(paths_of(project))
    assert report.noop and report.tracks == [] and report.engine_builds == ()
    assert report.pdfs_rendered == () and set(report.up_to_date) == {"alpha", "beta"}
    assert file_times(project / "site") == site_before, "the published site is left as it is"

    run = psychoed("build", "--curriculum", project / "curriculum", "--out", project / "site",
                   "--build-dir", project / "build")
    assert run.code == 0, run.err
    assert run.lines == [run.lines[0]] and run.lines[0].startswith("nothing changed since the last build: 2 track(s)")


def test_an_edit_to_a_module_of_one_track_rebuilds_that_track_only(project):
    beta_before = file_times(project / "site" / "beta")
    talking = project / "curriculum" / "modules" / "family-education" / "talking.yml"  # scheduled on alpha only
    talking.write_text(talking.read_text().replace("main_message: Listen first.",
                                                   "main_message: Listen first, then ask."))
    report = build(paths_of(project))
    assert not report.noop
    assert report.tracks == ["alpha"] and report.engine_builds == ("alpha",) and report.up_to_date == ("beta",)
    assert {p.name for p in report.pdfs_rendered} == {"week-01-families.pdf", "facilitator-week-01.pdf"}
    assert file_times(project / "site" / "beta") == beta_before, "beta is carried over as published"
    page = next((project / "site" / "alpha").rglob("talking/index.html")).read_text()
    assert "Listen first, then ask." in page

    again = build(paths_of(project))
    assert again.noop, "the manifest now records the edit"


def test_a_changed_option_rebuilds_every_track(project):
    report = build(paths_of(project), portable=True)
    assert sorted(report.tracks) == ["alpha", "beta"] and report.pdfs_rendered == ()
    assert sorted(report.engine_builds) == ["alpha", "alpha", "beta", "beta"], "each site and its offline copy"


@pytest.mark.parametrize("manifest", ["{not json", '{"format": 1}', ""])
def test_a_corrupt_or_missing_manifest_means_a_full_build(project, manifest):
    if manifest:
        (project / "build" / MANIFEST_FILE).write_text(manifest)
    else:
        (project / "build" / MANIFEST_FILE).unlink()
    report = build(paths_of(project))
    assert not report.noop and sorted(report.tracks) == ["alpha", "beta"]
    assert sorted(report.engine_builds) == ["alpha", "beta"]
    assert report.pdfs_rendered == () and len(report.pdfs_reused) == 13, "the PDF cache is still trusted"
    assert build(paths_of(project)).noop, "and the full build writes a new manifest"


def test_a_site_folder_gone_missing_is_built_again(project):
    shutil.rmtree(project / "site" / "beta")
    report = build(paths_of(project))
    assert report.tracks == ["beta"] and (project / "site" / "beta" / "index.html").is_file()


def test_progress_is_plain_lines_when_not_on_a_terminal(built_once, monkeypatch):
    lines = built_once.progress.splitlines()
    assert lines[0] == "checking the curriculum"
    assert "PDFs 0/13" in lines and "PDFs 13/13" in lines
    # The PDFs render while the content is checked and the pages are built (pdf_process.py).
    assert lines.index("checking the content") < lines.index("site of track alpha (1/2)") < lines.index("site of track beta (2/2)")
    assert lines.index("checking the content") < lines.index("PDF pieces 0/21")
    assert "\r" not in built_once.progress and "\x1b" not in built_once.progress, "no bar, no terminal codes"

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("CI", "true")
    assert isinstance(for_stream(Terminal()), PlainLines) and type(for_stream(Terminal())) is PlainLines
    monkeypatch.delenv("CI")
    assert type(for_stream(Terminal())) is not PlainLines, "a terminal outside CI gets the bar"


def test_check_results_come_from_the_cache_and_follow_edits(psychoed, tmp_path):
    curriculum, build_dir = tmp_path / "curriculum", tmp_path / "build"
    shutil.copytree(MINI, curriculum)
    breathing = curriculum / "modules" / "skills" / "breathing.yml"
    text = breathing.read_text()
    breathing.write_text(text.replace("summary: ", "summary: Addicts and alcoholics can do this. ", 1))

    fresh = check_curriculum(curriculum)
    assert any(d.rule == "person-first" for d in fresh.diagnostics), "the edit is a finding"
    first = check_curriculum(curriculum, cache_dir=build_dir)
    assert (build_dir / CACHE_FILE).is_file() and first.diagnostics == fresh.diagnostics
    second = check_curriculum(curriculum, cache_dir=build_dir)
    assert second.diagnostics == fresh.diagnostics and second.lint.grades == fresh.lint.grades

    copy = tmp_path / "copy" / "program-b"  # the same text in another folder, the same build folder
    shutil.copytree(curriculum, copy)
    found_in_copy = {d.path for d in check_curriculum(copy, cache_dir=build_dir).diagnostics if d.rule == "person-first"}
    assert found_in_copy == {"program-b/modules/skills/breathing.yml"}, "a finding names the file checked"
    shutil.rmtree(copy.parent)

    breathing.write_text(text)
    fixed = check_curriculum(curriculum, cache_dir=build_dir)
    assert not any(d.rule == "person-first" for d in fixed.diagnostics)
    assert fixed.diagnostics == check_curriculum(curriculum).diagnostics

    (build_dir / CACHE_FILE).write_text("{broken")
    run = psychoed("check", "--curriculum", curriculum, "--build-dir", build_dir)
    assert run.code == 0, run.out + run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "curriculum"], "nothing written in the project"

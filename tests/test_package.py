"""Psychoed as a clinic gets it: the wheel, installed into a fresh virtualenv, builds a site from
a folder that holds only a curriculum; `psychoed new` starts such a folder."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import BUNDLED, REPO
from generator.placeholders import PLACEHOLDER

# What the wheel is built from: the package, the bundled curriculum and the packaging files.
SOURCE_PARTS = ["generator", "curriculum", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md"]
FILLED = {  # what a clinic writes over each placeholder of the skeleton, by how the placeholder starts
    "your program": "Riverside IOP",
    "your organization": "Riverside Clinic",
    "the name of": "Riverside Crisis Line",
    "how to reach it, read": "call or text 988",
    "how to reach it": "Call or text 988",
    "the number to call": "\"988\"",  # quoted, as YAML needs for a phone number
    "its web address": "https://988lifeline.org",
    "how to reach them, read": "call 911",
    "how to reach them": "Call 911 if you are in danger now",
    "the emergency number": "\"911\"",
    "the day you checked": "2026-11-01",
}


def fill_placeholders(program_yml: Path) -> None:
    """Replace every placeholder value, as an author would."""
    def filled(match: re.Match[str]) -> str:
        what = match.group("what")
        return next(value for start, value in FILLED.items() if what.startswith(start))

    text = program_yml.read_text(encoding="utf-8")
    program_yml.write_text(re.sub(r'"\[FILL IN:\s*(?P<what>[^\]]*)\]"(?=\s*$)', filled, text, flags=re.MULTILINE),
                           encoding="utf-8")


# --- psychoed new --------------------------------------------------------------------------

def test_new_skeleton_is_flagged_until_filled_then_clean(psychoed, tmp_path):
    project = tmp_path / "clinic"
    assert psychoed("new", project).code == 0
    for name in ("README.md", ".gitignore", ".github/workflows/publish.yml", "curriculum/program.yml",
                 "curriculum/schema/module.schema.json"):
        assert (project / name).is_file(), name
    assert "psychoed build" in (project / ".github/workflows/publish.yml").read_text()
    assert "/site/" in (project / ".gitignore").read_text()

    program = project / "curriculum" / "program.yml"
    lines = program.read_text(encoding="utf-8").splitlines()
    run = psychoed("check", cwd=project)
    assert run.code == 1
    flagged = [d for d in run.lines if ": error: " in d]
    placeholder_lines = [n for n, line in enumerate(lines, 1) if PLACEHOLDER.search(line) and not line.startswith("#")]
    assert len(placeholder_lines) >= 6  # name, organization, crisis lines and their verified dates
    assert [int(d.split(":")[1]) for d in flagged] == placeholder_lines, "one error at each placeholder, nothing else"
    assert all("not filled in yet" in d and "[FILL IN" in d for d in flagged)

    fill_placeholders(program)
    assert psychoed("check", "--strict", cwd=project).code == 0


def test_new_refuses_a_folder_that_is_not_empty(psychoed, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    run = psychoed("new", tmp_path)
    assert run.code == 2 and "not empty" in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_new_from_bundled_copies_the_curriculum_with_placeholders(psychoed, tmp_path):
    project = tmp_path / "clinic"
    assert psychoed("new", "--from", "bundled", project).code == 0
    copied = sorted(p.relative_to(project / "curriculum") for p in (project / "curriculum").rglob("*.yml"))
    assert copied == sorted(p.relative_to(BUNDLED) for p in BUNDLED.rglob("*.yml"))
    run = psychoed("check", cwd=project)
    flagged = [d for d in run.lines if ": error: " in d]
    assert run.code == 1 and flagged
    assert all(d.startswith("curriculum/program.yml:") and "not filled in yet" in d for d in flagged)
    assert any("your organization" in d for d in flagged) and any("YYYY-MM-DD" in d for d in flagged)


# --- the wheel -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the sources and installed into a new virtualenv; returns its bin/.

    Only Psychoed is installed (`--no-deps`): its dependencies (WeasyPrint, MkDocs, Material …)
    come from this test run's environment through a .pth line, which puts that site-packages on
    sys.path without running its .pth files, so the editable install of the checkout stays
    inactive and `generator` can only be imported from the wheel (asserted below)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    for part in SOURCE_PARTS:
        if (REPO / part).is_dir():
            shutil.copytree(REPO / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(REPO / part, source / part)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(work / "dist"), str(source)],
                   check=True, capture_output=True)
    (wheel,) = (work / "dist").glob("psychoed-*.whl")
    env = work / "venv"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "test-run-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)], check=True,
                   capture_output=True)
    return env / "bin"


def run_installed(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=cwd, capture_output=True, text=True,
                          env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(cwd)}, timeout=600)


def test_the_wheel_builds_a_site_from_a_folder_with_only_a_curriculum(installed_wheel, tmp_path):
    where = run_installed(installed_wheel, "python", "-c", "import generator; print(generator.__file__)", cwd=tmp_path)
    assert where.stdout.startswith(str(installed_wheel.parent)), "generator must come from the wheel, not the checkout"

    project = tmp_path / "clinic"
    made = run_installed(installed_wheel, "psychoed", "new", str(project), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    fill_placeholders(project / "curriculum" / "program.yml")
    built = run_installed(installed_wheel, "psychoed", "build", cwd=project)
    assert built.returncode == 0, built.stderr + built.stdout
    assert "internal error" not in built.stderr
    home = (project / "site" / "general" / "index.html").read_text(encoding="utf-8")
    assert "Riverside Crisis Line" in home and "psychoed.css" in home  # the shipped theme and base config
    assert (project / "site" / "general" / "assets" / "javascripts" / "psychoed-worksheets.js").is_file()
    assert list((project / "site" / "general" / "handouts").glob("week-01*.pdf"))
    assert sorted(p.name for p in project.iterdir()) == [".github", ".gitignore", "README.md", "build", "curriculum",
                                                          "site"]


def test_the_wheel_ships_the_bundled_curriculum(installed_wheel, tmp_path):
    made = run_installed(installed_wheel, "psychoed", "new", "--from", "bundled", str(tmp_path / "clinic"), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    copied = sorted(p.relative_to(tmp_path / "clinic" / "curriculum").as_posix()
                    for p in (tmp_path / "clinic" / "curriculum").rglob("*.yml"))
    assert copied == sorted(p.relative_to(BUNDLED).as_posix() for p in BUNDLED.rglob("*.yml"))

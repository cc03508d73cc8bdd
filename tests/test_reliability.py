"""Never lose a published site or an author's file; never end in "internal error" (issue 14).

Each class of failure has one test that asserts the exact message, the exit status and that
the files that must survive do. Builds reuse the session's one real build of the mini fixture
(`built_mini`, copied with its PDF cache, so rebuilds only run MkDocs).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO
from generator.lock import holding
from generator.pdf_worker import PdfTimeLimit, render_in_time


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(built_mini, tmp_path) -> Path:
    """A copy of the built mini project that a test may break freely."""
    for name in ("curriculum", "site", "build"):
        shutil.copytree(built_mini / name, tmp_path / name, symlinks=True)
    return tmp_path


def build_args(project: Path, *extra: str) -> list[str]:
    return ["build", "--curriculum", str(project / "curriculum"), "--out", str(project / "site"),
            "--build-dir", str(project / "build"), *extra]


# --- data loss: where a build may write ----------------------------------------------------


@pytest.mark.parametrize("out, message", [
    ("curriculum", "--out curriculum is the curriculum folder"),
    (".", "--out . is the project folder"),
    ("..", "--out .. contains the project folder"),
])
def test_output_folder_that_holds_the_curriculum_is_refused(psychoed, mini, out, message):
    before = snapshot(mini)
    run = psychoed("build", "--curriculum", "curriculum", "--out", out, cwd=mini.parent)
    assert run.code == 2
    assert run.err == (f"psychoed: error: {message}; a build replaces what is in its output, "
                       "so give a folder of its own (default: site)\n")
    assert snapshot(mini) == before and (mini / "program.yml").is_file()


def test_build_folder_that_is_the_project_folder_is_refused(psychoed, mini):
    run = psychoed("build", "--curriculum", "curriculum", "--build-dir", ".", cwd=mini.parent)
    assert run.code == 2
    assert run.err.startswith("psychoed: error: --build-dir . is the project folder;")


@pytest.mark.parametrize("args, message", [
    (("--out", "curriculum/site"), "--out curriculum/site is inside the curriculum folder; authors' files and "
                                   "generated files must not mix, so give a folder outside it"),
    (("--out", "out", "--build-dir", "out"), "--out and --build-dir are the same folder (out); give two folders"),
])
def test_output_inside_the_curriculum_or_shared_with_the_build_is_refused(psychoed, mini, args, message):
    run = psychoed("build", "--curriculum", "curriculum", *args, cwd=mini.parent)
    assert (run.code, run.err) == (2, f"psychoed: error: {message}\n")
    assert not (mini / "site").exists() and not (mini.parent / "out").exists()


def test_foreign_output_folder_is_refused_and_kept(psychoed, mini, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "thesis.docx").write_text("years of work")
    run = psychoed("build", "--curriculum", mini, "--out", notes, "--build-dir", tmp_path / "build")
    assert run.code == 2
    assert run.err == (f"psychoed: error: --out {notes} is not empty and was not written by Psychoed (it has no "
                       ".psychoed-output file); empty it, or give another folder\n")
    assert (notes / "thesis.docx").read_text() == "years of work"


def test_every_output_is_marked(built_mini):
    assert (built_mini / "site" / ".psychoed-output").is_file()
    assert (built_mini / "build" / ".psychoed-build").is_file()


def test_a_swap_killed_between_its_renames_is_recovered(psychoed, project):
    """The state a SIGKILL between the two renames leaves: no site/, the old site retired, a
    finished staging folder. A partial build must bring back the other track and clean up."""
    site = project / "site"
    beta_before = snapshot(site / "beta")
    site.rename(project / ".site-retired")
    (project / ".site-staging-x1y2z3" / "alpha").mkdir(parents=True)
    run = psychoed(*build_args(project, "--track", "alpha"))
    assert run.code == 0, run.err
    assert run.out.startswith("nothing changed since the last build"), "the site put back is the one last built"
    assert snapshot(site / "beta") == beta_before
    assert (site / "alpha" / "index.html").is_file() and (site / "index.html").is_file()
    assert not [p.name for p in project.iterdir() if p.name.startswith(".")], "stale copies removed"


def test_a_partial_build_also_builds_tracks_missing_from_the_site(psychoed, project):
    shutil.rmtree(project / "site" / "beta")
    run = psychoed(*build_args(project, "--track", "alpha"))
    assert run.code == 0, run.err
    assert "built 1 track(s)" in run.out and run.out.rstrip().endswith(": beta"), "alpha had not changed"
    assert (project / "site" / "beta" / "index.html").is_file()


# --- data loss: the PDF cache -------------------------------------------------------------


def test_a_tampered_pdf_cache_is_not_trusted(psychoed, project):
    cache = project / "build" / "alpha" / "handouts"
    victim = project / "victim.txt"
    victim.write_text("not Psychoed's")
    absolute_victim = project / "absolute-victim.txt"
    absolute_victim.write_text("not Psychoed's either")
    secret = project / "secret.txt"
    secret.write_text("private notes")
    manifest = json.loads((cache / "manifest.json").read_text())
    manifest["../../victim.txt"] = {"html": "x", "pdf": "y"}
    manifest[str(absolute_victim)] = {"html": "x", "pdf": "y"}
    (cache / "manifest.json").write_text(json.dumps(manifest))
    (cache / "week-01.pdf").unlink()
    (cache / "week-01.pdf").symlink_to(secret)  # a cached PDF replaced by a link
    (cache / "week-02.pdf").write_bytes((cache / "week-02.pdf").read_bytes()[:500])  # truncated
    (cache / "worksheets" / "log.pdf").write_bytes(b"")  # emptied
    (cache / ".week-01.pdf.4242.partial").write_bytes(b"%PDF-half")  # left by a killed render

    run = psychoed("handouts", "--curriculum", project / "curriculum", "--out", project / "site",
                   "--build-dir", project / "build", "--track", "alpha")
    assert run.code == 0, run.err
    assert run.out.startswith("handouts: 3 PDF(s) rendered")
    assert victim.read_text() == "not Psychoed's" and absolute_victim.read_text() == "not Psychoed's either"
    published = project / "site" / "alpha" / "handouts"
    for name in ("week-01.pdf", "week-02.pdf", "worksheets/log.pdf"):
        assert not (cache / name).is_symlink()
        data = (published / name).read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), name
    assert b"private notes" not in (published / "week-01.pdf").read_bytes()
    assert not list(cache.rglob("*.partial"))
    assert set(json.loads((cache / "manifest.json").read_text())) == {
        p.relative_to(cache).as_posix() for p in cache.rglob("*.pdf")}


# --- data loss: two runs at once, and workers that outlive the build ----------------------


def test_a_second_run_waits_for_the_lock_and_names_the_holder(psychoed, project, monkeypatch):
    monkeypatch.setenv("PSYCHOED_LOCK_TIMEOUT", "1")
    with holding([project / "site"], "psychoed build (the other one)"):
        started = time.monotonic()
        run = psychoed(*build_args(project))
    assert run.code == 1
    assert time.monotonic() - started < 10
    assert f"psychoed: error: {project / 'site'} is in use by another Psychoed run (pid {os.getpid()}, " \
           "`psychoed build (the other one)`, started " in run.err
    assert run.err.rstrip().endswith("waited 1 s. Run again when it has finished")
    assert (project / "site" / "alpha" / "index.html").is_file()


def test_a_second_run_goes_ahead_when_the_first_ends(psychoed, project, monkeypatch):
    monkeypatch.setenv("PSYCHOED_LOCK_TIMEOUT", "60")
    held, release = threading.Event(), threading.Event()

    def first_run() -> None:
        with holding([project / "build"], "first"):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=first_run)
    holder.start()
    held.wait(10)
    threading.Timer(1.0, release.set).start()
    run = psychoed("handouts", "--curriculum", project / "curriculum", "--out", project / "site",
                   "--build-dir", project / "build", "--track", "alpha", "--week", "1")
    holder.join()
    assert run.code == 0, run.err
    assert f"psychoed: waiting for another run to finish with {project / 'build'} (pid {os.getpid()}, `first`" in run.err


_POOL_PARENT = """
import sys, time
from concurrent.futures import ProcessPoolExecutor
from generator.pdf_worker import die_with_parent
import os
pool = ProcessPoolExecutor(max_workers=1, initializer=die_with_parent)
pool.submit(time.sleep, 120)
time.sleep(1.0)
print(*[p.pid for p in pool._processes.values()], flush=True)
time.sleep(120)
"""


def test_pdf_workers_die_with_the_build():
    parent = subprocess.Popen([sys.executable, "-c", _POOL_PARENT], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        worker = int(parent.stdout.readline())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(5)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _alive(worker):
            time.sleep(0.05)
        assert not _alive(worker), "the PDF worker outlived the killed build"
    finally:
        parent.kill()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


# --- diagnostics, not internal errors ------------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_dates_that_do_not_exist(psychoed, mini, tmp_path):
    edit(mini / "program.yml", "verified_on: 2026-11-01", "verified_on: 2026-02-30")
    edit(mini / "modules" / "skills" / "breathing.yml", "last_reviewed: 2026-11-01", "last_reviewed: 2026-20-01")
    expected = ["curriculum/modules/skills/breathing.yml:5:16: error: `2026-20-01` is not a real date: month must "
                "be in 1..12 — write an existing date as YYYY-MM-DD, e.g. 2026-11-01",
                "curriculum/program.yml:9:18: error: `2026-02-30` is not a real date: day is out of range for month "
                "— write an existing date as YYYY-MM-DD, e.g. 2026-11-01"]
    check = psychoed("check", "--curriculum", mini)
    assert (check.code, check.lines) == (1, expected)
    build = psychoed("build", "--curriculum", mini, "--out", tmp_path / "site", "--build-dir", tmp_path / "build")
    assert (build.code, build.lines) == (1, expected)
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("depth, message", [
    (300, "curriculum/modules/skills/breathing.yml:42:43: error: lists and mappings nested more than 40 deep — "
          "flatten this part of the file"),
    (100_000, "curriculum/modules/skills/breathing.yml:42:1003: error: YAML syntax error: exceeded maximum nesting "
              "depth — check indentation and quoting near here (while increasing flow level that starts at line 42)"),
])
def test_very_deep_nesting(psychoed, mini, depth, message):
    with (mini / "modules" / "skills" / "breathing.yml").open("a") as file:
        file.write("x: " + "[" * depth + "]" * depth + "\n")
    run = psychoed("check", "--curriculum", mini)
    assert (run.code, run.lines) == (1, [message])


def test_text_left_empty_by_an_empty_track_var(psychoed, mini):
    edit(mini / "tracks" / "alpha.yml", "condition: alpha-condition", 'condition: ""')
    edit(mini / "modules" / "skills" / "breathing.yml", "summary: Slow breathing for {{ track.vars.condition }}.",
         'summary: "{{ track.vars.condition }}"')
    run = psychoed("check", "--curriculum", mini)
    assert (run.code, run.lines) == (1, [
        "curriculum/modules/skills/breathing.yml:3:10: error: `summary` is empty for track `alpha` once its "
        "variables are filled in — give the track's variable a value, or change the text"])


def test_unknown_interface_language(psychoed, mini):
    edit(mini / "program.yml", "language: en", "language: xx")
    run = psychoed("check", "--curriculum", mini)
    assert (run.code, run.lines) == (1, [
        "curriculum/program.yml:3:11: error: unknown interface language `xx` — Psychoed writes its pages and "
        "handouts in: en, es"])


def test_a_theme_language_without_psychoeds_words(psychoed, mini):
    """French is one of mkdocs-material's languages but has no catalogue of Psychoed's words:
    an error at its line, not an internal error during the build."""
    edit(mini / "program.yml", "language: en", "language: fr")
    for command in ("check", "build"):
        run = psychoed(command, "--curriculum", mini)
        assert run.code == 1 and "internal error" not in run.err
        assert ("curriculum/program.yml:3:11: error: Psychoed has no interface words for `fr` — Psychoed writes its "
                "pages and handouts in: en, es") in run.lines


@pytest.mark.parametrize("nesting, depth", [("> " * 60, 60), ("- " * 300, 300), ("> - 1. " * 3, 9)])
def test_deeply_nested_block_quotes_and_lists(psychoed, mini, nesting, depth):
    edit(mini / "modules" / "skills" / "breathing.yml", "      Slow breathing helps with",
         "      " + nesting + "Slow breathing helps with")
    run = psychoed("check", "--curriculum", mini)
    assert (run.code, run.lines) == (1, [
        f"curriculum/modules/skills/breathing.yml:14:7: error: block quotes and lists nested {depth} deep (the "
        "limit is 8) — use at most a few levels of `>` and of lists inside lists"])


def test_unwritable_output_folder(psychoed, mini, tmp_path):
    """/sys refuses new folders to every user, root included: a real permission error."""
    run = psychoed("build", "--curriculum", mini, "--out", "/sys/psychoed-site", "--build-dir", tmp_path / "build")
    assert run.code == 1
    assert run.err.splitlines()[-1].startswith("psychoed: error: cannot write /sys/.psychoed-site-staging-")  # after the progress lines
    assert run.err.endswith(": permission denied; the previous site is unchanged\n")
    assert "internal error" not in run.err


def test_full_disk(psychoed, project):
    """/dev/full answers every write with ENOSPC, as a full disk does."""
    before = snapshot(project / "site")
    config = project / "build" / "alpha" / "mkdocs.yml"
    config.unlink()
    config.symlink_to("/dev/full")
    run = psychoed(*build_args(project, "--site-url", "https://example.org/"))  # an option changed: a real build
    assert run.code == 1
    assert run.err.splitlines()[-1] == "psychoed: error: cannot write: the disk is full; the previous site is unchanged"
    assert snapshot(project / "site") == before
    assert not [p.name for p in project.iterdir() if p.name.startswith(".")]


def test_schema_into_a_closed_pipe():
    """The reader is gone before the first write (as `psychoed schema | head -n 1` can be, or not,
    depending on timing): exit 141 as if killed by SIGPIPE, and say nothing."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        run = subprocess.run([sys.executable, "-m", "generator", "schema"], stdout=writer,
                             stderr=subprocess.PIPE, cwd=REPO, text=True, timeout=60)
    finally:
        os.close(writer)
    assert run.stderr == ""
    assert run.returncode == 141


def test_schema_into_head():
    run = subprocess.run(f"{sys.executable} -m generator schema | head -n 1; exit ${{PIPESTATUS[0]}}",
                         shell=True, executable="/bin/bash", cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.stdout == "{\n"
    assert run.stderr == ""
    assert run.returncode in (0, 141)  # 0 when the whole schema fit in the pipe before `head` left


# --- resource limits -----------------------------------------------------------------------


def timed_check(psychoed, mini) -> tuple[object, float]:
    """The run and the processor seconds it took (wall time would measure the machine's load)."""
    started = time.process_time()
    run = psychoed("check", "--curriculum", mini)
    return run, time.process_time() - started


def test_a_huge_file(psychoed, mini):
    with (mini / "worksheets" / "log.yml").open("a") as file:
        file.write("# " + "x" * 50_000_000 + "\n")
    size = (mini / "worksheets" / "log.yml").stat().st_size
    run, seconds = timed_check(psychoed, mini)
    assert (run.code, run.lines) == (1, [
        f"curriculum/worksheets/log.yml:1:1: error: file is {size:,} bytes; the limit is 1,000,000 — split it "
        "into smaller files (one module or worksheet per file)"])
    assert seconds < 5


def test_a_long_text_repeated_by_aliases(psychoed, mini):
    with (mini / "modules" / "skills" / "breathing.yml").open("a") as file:
        file.write("x: &a " + "a " * 25_000 + "\ny: [" + ", ".join(["*a"] * 100_000) + "]\n")
    run, seconds = timed_check(psychoed, mini)
    assert (run.code, run.lines) == (1, [
        "curriculum/modules/skills/breathing.yml:43:4: error: file expands to more than 2,000,000 characters of "
        "text — aliases (*name) may not repeat long texts this many times"])
    assert seconds < 5


def test_a_text_over_the_limit(psychoed, mini):
    edit(mini / "modules" / "skills" / "breathing.yml", "main_message: Slow breaths calm the body.",
         "main_message: " + "calm " * 12_000)
    run = psychoed("check", "--curriculum", mini)
    assert (run.code, run.lines) == (1, [
        "curriculum/modules/skills/breathing.yml:4:15: error: text of 59,999 characters; the limit is 50,000 — "
        "split it into sections"])


def test_a_catastrophic_pattern_in_a_program_rule(psychoed, mini):
    with (mini / "program.yml").open("a") as file:
        file.write("safety:\n  avoid:\n    - pattern: '(a+)+$'\n      use: something else\n")
    run, seconds = timed_check(psychoed, mini)
    assert (run.code, run.lines) == (1, [
        "curriculum/program.yml:25:16: error: `pattern` repeats a part that itself repeats (like `(a+)+`), which "
        "can take hours on a short text; write the inner part once, e.g. `(a+)` instead of `(a+)+`"])
    assert seconds < 5


def test_a_very_long_word(psychoed, mini):
    edit(mini / "modules" / "skills" / "breathing.yml", "Breathe out longer than in.", "Breathe " + "o" * 8000)
    run = psychoed("check", "--curriculum", mini)
    assert (run.code, run.lines) == (1, [
        "curriculum/modules/skills/breathing.yml:9:13: error: a word of 8,000 characters without a space "
        "(the limit is 100) — break it up with spaces; very long words cannot be printed"])


def test_a_pdf_over_its_time_limit_is_stopped(tmp_path):
    from generator.handouts import write_pdf

    # Unbroken words are quadratic to lay out; against a limit of 20 ms this is slow on any machine.
    html = "<p>" + " ".join("w" * 8000 for _ in range(5)) + "</p>"
    started = time.monotonic()
    target = tmp_path / "slow.pdf"
    with pytest.raises(PdfTimeLimit, match=f"^rendering {re.escape(str(target))} took more than 0.02 s and was stopped; "
                                           "very long unbroken words or huge tables in its text can do this"):
        render_in_time(write_pdf, html, target, 0.02)
    assert time.monotonic() - started < 5
    assert not list(tmp_path.iterdir()), "no file, and no partial file, is left"


def test_serve_keeps_answering_while_a_date_is_broken(mini, tmp_path):
    """The preview answers at once, with the error page that names the problem."""
    from test_serve import fetch, free_port, wait_for

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--curriculum", str(mini), "--track", "alpha",
         "--port", str(port), "--build-dir", str(tmp_path / "build")],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    errors: list[str] = []
    threading.Thread(target=lambda: errors.extend(server.stderr), daemon=True).start()
    page = f"http://127.0.0.1:{port}/modules/skills/breathing/"
    try:
        wait_for(lambda: "Slow breaths calm the body." in fetch(page), timeout=240, what="the first preview")
        edit(mini / "program.yml", "verified_on: 2026-11-01", "verified_on: 2026-02-30")
        wait_for(lambda: any("is not a real date" in line for line in errors), timeout=120, what="the diagnostic")
        assert "curriculum/program.yml:9:18: error: `2026-02-30` is not a real date: day is out of range for " \
               "month — write an existing date as YYYY-MM-DD, e.g. 2026-11-01\n" in errors
        started = time.monotonic()
        wait_for(lambda: "is not a real date" in fetch(page), timeout=120, what="the error page")
        assert time.monotonic() - started < 5, "the server answers at once"
        assert not [line for line in errors if "internal error" in line or "Traceback" in line]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_build_stops_at_a_pdf_over_its_time_limit(psychoed, mini, tmp_path, monkeypatch):
    """Through the worker pool: the limit is enforced in the worker and reported in one line."""
    monkeypatch.setenv("PSYCHOED_PDF_TIMEOUT", "0.01")  # raised to the 0.1 s minimum, less than any PDF takes
    run = psychoed("handouts", "--curriculum", mini, "--out", tmp_path / "site", "--build-dir", tmp_path / "build",
                   "--track", "alpha")
    assert run.code == 1
    assert re.fullmatch(rf"psychoed: error: rendering {re.escape(str(tmp_path / 'build' / 'alpha' / 'handouts'))}/"
                        r"[\w/-]+\.pdf took more than 0\.1 s and was stopped; very long unbroken words or huge tables "
                        r"in its text can do this \(PSYCHOED_PDF_TIMEOUT sets the limit\)\n", run.err), run.err
    assert not list((tmp_path / "build").rglob("*.partial"))

"""How fast the authoring loop is, on a copy of the bundled curriculum, in one run.

    python benchmarks/authoring_loop.py [--scale 2 [4]] [--skip-serve] [--skip-peer] [--rounds N]
                                        [--curriculum DIR --track ID]   (another curriculum, for a quick try)

Measured (process wall time of the real `psychoed` command, each from a fresh temporary project):
- cold `psychoed build` (no build folder, no caches);
- `psychoed build` with nothing changed (target: 0.5 s or less);
- `psychoed build` after a one-module edit of the addiction track, as % of cold (target: 10 % or less);
- the plain peer: `mkdocs build` of each generated project one after another, plus WeasyPrint of
  every print document one after another, no cache (the projects and print HTML are written once
  first, then only the peer is timed); the ratio cold / peer (target: 0.6 or less); with
  `--rounds N`, N cold builds each followed by the peer, in new projects, and the median ratio;
- serve, edit to visible: `psychoed serve --track addiction` on a free port, a module edited 10
  times, the page polled until the new words show; the median (target: 1.5 s or less);
- with `--scale N [M]`: the bundled curriculum as it is, then with N (and M) copies of every track
  and module, each in a temporary project; seconds per HTML page (the build with every PDF already
  rendered) and per PDF page (`psychoed handouts`), so growth shows row by row.

Standard library and Psychoed (with its dependencies) only; not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "curriculum"
PYTHON = sys.executable
EDITED_TRACK = "addiction"  # --track changes it


# --- running psychoed ----------------------------------------------------------------------


def psychoed(project: Path, *args: str) -> float:
    """Run `psychoed ARGS` in `project`; return its wall time in seconds (fails loudly)."""
    started = time.perf_counter()
    run = subprocess.run([PYTHON, "-m", "generator", *args], cwd=project, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"psychoed {' '.join(args)} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    print(f"  psychoed {' '.join(args)}: {seconds:.2f} s — {run.stdout.strip().splitlines()[-1]}", flush=True)
    return seconds


def new_project(parent: Path, curriculum: Path) -> Path:
    project = Path(tempfile.mkdtemp(prefix="project-", dir=parent))
    shutil.copytree(curriculum, project / "curriculum")
    return project


# --- editing a module ------------------------------------------------------------------------


def edited_module(project: Path) -> Path:
    """A module scheduled on the edited track and on no other, whose main message is on its page."""
    import yaml

    def scheduled(track_file: Path) -> set[str]:
        track = yaml.safe_load(track_file.read_text())
        return {s["module"] for week in track["weeks"] for s in week["sessions"]}

    tracks = project / "curriculum" / "tracks"
    sources = [t for t in tracks.glob("*.yml") if "." not in t.stem]  # not translations (addiction.es.yml)
    elsewhere = set().union(*(scheduled(t) for t in sources if t.stem != EDITED_TRACK))
    only_here = scheduled(tracks / f"{EDITED_TRACK}.yml") - elsewhere
    candidates = [path for path in sorted((project / "curriculum" / "modules").rglob("*.yml"))
                  if path.stem in only_here and "main_message" in yaml.safe_load(path.read_text())]
    if not candidates:
        sys.exit(f"no module of the {EDITED_TRACK} track alone found")
    # A participants' module when there is one (family modules are in fewer documents).
    return min(candidates, key=lambda path: path.parent.name == "family-education")


def with_marker(text: str, marker: str) -> str:
    """The module's YAML with `marker` at the start of its main message (inline or block)."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        match = re.match(r"main_message:\s*(.*)$", line)
        if match is None:
            continue
        if match.group(1).startswith((">", "|")):
            indent = re.match(r"\s*", lines[i + 1]).group(0)
            lines[i + 1] = indent + marker + " " + lines[i + 1][len(indent):]
        else:
            lines[i] = line[:match.start(1)] + marker + " " + line[match.start(1):]
        return "".join(lines)
    raise ValueError("no main_message")


# --- the plain peer --------------------------------------------------------------------------


def write_print_html(project: Path, target: Path) -> list[Path]:
    """Every print document of every track in every language edition as one HTML file (what
    WeasyPrint is given)."""
    from generator.check import check_curriculum
    from generator.editions import edition_views, editions
    from generator.handouts import handout_documents

    checked = check_curriculum(project / "curriculum")
    assert checked.curriculum is not None
    large_print = checked.curriculum.program.handouts.large_print
    files = []
    for edition in editions(checked.curriculum):
        for track_id, view in edition_views(edition, checked.views, list(edition.track_ids)).items():
            for variant in (False, True) if large_print else (False,):
                documents = handout_documents(view, large_print=variant, translation=edition.translation)
                for number, document in enumerate(documents):
                    name = f"{'large-' if variant else ''}{number:03d}.html"
                    path = edition.under(target) / track_id / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(document.html, encoding="utf-8")
                    files.append(path)
    return files


_WEASYPRINT_ALL = """
import sys
from pathlib import Path
import weasyprint
from generator.handouts import PDF_OPTIONS
for name in sys.argv[1:]:
    html = Path(name).read_text(encoding="utf-8")
    weasyprint.HTML(string=html).write_pdf(Path(name).with_suffix(".pdf"), **PDF_OPTIONS)
"""


def plain_peer(project: Path) -> float:
    """`mkdocs build` of each generated project, then WeasyPrint of every print document, one
    after another; the generated projects are the cold build's, the HTML is written before timing."""
    html_files = write_print_html(project, project / "peer-html")
    # Each track's project in each language (build/<track>/, build/es/<track>/), not offline copies.
    configs = sorted(c for c in (project / "build").rglob("mkdocs.yml") if "portable" not in c.parts)
    started = time.perf_counter()
    quiet = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # MkDocs' banner says nothing about the build
    for config in configs:
        site = project / "peer-site" / config.parent.relative_to(project / "build")
        subprocess.run([PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                       check=True, cwd=project, env=quiet)
    sites = time.perf_counter() - started
    subprocess.run([PYTHON, "-c", _WEASYPRINT_ALL, *map(str, html_files)], check=True, cwd=project)
    seconds = time.perf_counter() - started
    print(f"  plain peer: {seconds:.1f} s ({len(configs)} mkdocs builds {sites:.1f} s, "
          f"{len(html_files)} WeasyPrint documents {seconds - sites:.1f} s)", flush=True)
    return seconds


# --- serve -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


@contextlib.contextmanager
def serving(project: Path, port: int) -> Iterator[subprocess.Popen]:
    server = subprocess.Popen([PYTHON, "-m", "generator", "serve", "--track", EDITED_TRACK, "--port", str(port),
                               "--build-dir", "serve-build"], cwd=project, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_for(url: str, words: str, limit: float) -> float:
    """Poll `url` every 50 ms until its text has `words`; the seconds it took (or exit)."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if words in fetch(url):
            return time.perf_counter() - started
        time.sleep(0.05)
    sys.exit(f"{url} did not show “{words}” within {limit:.0f} s")


def serve_edit_to_visible(project: Path, edits: int = 10) -> float:
    module = edited_module(project)
    original = module.read_text(encoding="utf-8")
    page = next(p for p in (project / "site" / EDITED_TRACK).rglob(f"{module.stem}/index.html"))
    path = page.parent.relative_to(project / "site" / EDITED_TRACK).as_posix()
    port = free_port()
    url = f"http://127.0.0.1:{port}/{path}/"
    times = []
    try:
        with serving(project, port):
            first = wait_for(url, "</html>", 600)
            print(f"  serve: first page after {first:.1f} s", flush=True)
            time.sleep(2)  # let the first build's PDFs settle
            for n in range(1, edits + 1):
                marker = f"Benchmark edit number {n}."
                module.write_text(with_marker(original, marker), encoding="utf-8")
                times.append(wait_for(url, marker, 300))
                print(f"  serve edit {n}: {times[-1]:.2f} s", flush=True)
                time.sleep(0.5)
    finally:
        module.write_text(original, encoding="utf-8")
    return statistics.median(times)


# --- scale -----------------------------------------------------------------------------------


def sources(folder: Path) -> list[Path]:
    """The YAML files under `folder` that are not translation overlays (`name.es.yml`)."""
    return sorted(p for p in folder.rglob("*.yml") if "." not in p.stem)


def scaled_curriculum(target: Path, copies: int) -> Path:
    """The bundled curriculum in English alone (`psychoed handouts` renders no translated
    edition, so the build after it would render that edition's PDFs among its pages) with
    `copies` of every track and module (copy k of track t is `t-k`, scheduling copy k of each
    module; worksheets are shared)."""
    import yaml

    shutil.copytree(BUNDLED, target)
    program = target / "program.yml"
    program.write_text(re.sub(r"(?m)^translations:\n(?:[ #].*\n)*", "", program.read_text()))
    for overlay in target.rglob("*.*.yml"):
        overlay.unlink()
    tracks = [p.stem for p in sources(BUNDLED / "tracks")]
    for k in range(2, copies + 1):
        def renamed(track_id: str) -> str:
            return f"{track_id}-{k}"

        for path in sources(BUNDLED / "tracks"):
            data = yaml.safe_load(path.read_text())
            data["title"] = f"{data['title']} ({k})"
            for week in data["weeks"]:
                for session in week["sessions"]:
                    session["module"] = f"{session['module']}-{k}"
            (target / "tracks" / f"{renamed(path.stem)}.yml").write_text(yaml.safe_dump(data, sort_keys=False))
        for path in sources(BUNDLED / "modules"):
            data = yaml.safe_load(path.read_text())
            if isinstance(data.get("tracks"), list):
                data["tracks"] = [renamed(t) if t in tracks else t for t in data["tracks"]]
            if isinstance(data.get("variants"), dict):
                data["variants"] = {renamed(t) if t in tracks else t: v for t, v in data["variants"].items()}
            if data.get("code"):
                data["code"] = f"{data['code']}{k}"
            copy = target / "modules" / path.parent.name / f"{path.stem}-{k}.yml"
            copy.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return target


def pdf_pages(folder: Path) -> int:
    import pikepdf

    total = 0
    for path in folder.rglob("*.pdf"):
        with pikepdf.open(path) as pdf:
            total += len(pdf.pages)
    return total


def scale_row(work: Path, copies: int) -> tuple[int, int, float, int, float]:
    project = Path(tempfile.mkdtemp(prefix=f"scale-{copies}-", dir=work))
    scaled_curriculum(project / "curriculum", copies)
    pdf_seconds = psychoed(project, "handouts")
    site_seconds = psychoed(project, "build")
    html = sum(1 for _ in (project / "site").rglob("*.html"))
    pages = pdf_pages(project / "site")
    shutil.rmtree(project, ignore_errors=True)
    return copies, html, site_seconds, pages, pdf_seconds


# --- the run ---------------------------------------------------------------------------------


def main() -> None:
    global EDITED_TRACK
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, nargs="+", choices=(2, 4), default=[],
                        help="also measure N copies of every track and module (--scale 2 4: both)")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure the cold build and the peer this many times, back to back (the median ratio)")
    parser.add_argument("--curriculum", type=Path, default=BUNDLED, help="default: the bundled curriculum")
    parser.add_argument("--track", default=EDITED_TRACK, help="the track whose module is edited (default: addiction)")
    args = parser.parse_args()
    EDITED_TRACK = args.track
    os.environ.pop("CI", None)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="psychoed-bench-") as scratch:
        work = Path(scratch)
        project = new_project(work, args.curriculum.resolve())
        print("cold build, no-op build, one-module edit:", flush=True)
        cold = psychoed(project, "build")
        noop = psychoed(project, "build")
        module = edited_module(project)
        original = module.read_text(encoding="utf-8")
        module.write_text(with_marker(original, "One more plain sentence."), encoding="utf-8")
        edit = psychoed(project, "build")
        module.write_text(original, encoding="utf-8")
        psychoed(project, "build")  # back to the bundled text
        rows += [("cold psychoed build", f"{cold:.1f} s", ""),
                 ("no-op build", f"{noop:.2f} s", "≤ 0.5 s"),
                 (f"build after editing {module.stem}", f"{edit:.1f} s = {100 * edit / cold:.0f} % of cold", "≤ 10 %")]
        if not args.skip_peer:
            print("plain peer:", flush=True)
            peer = plain_peer(project)
            ratios = [cold / peer]
            # The machine's speed drifts over minutes: each further round measures a cold build
            # and the peer back to back again, in a new project.
            for number in range(2, args.rounds + 1):
                print(f"round {number}: cold build, then the plain peer", flush=True)
                again = new_project(work, args.curriculum.resolve())
                ratios.append(psychoed(again, "build") / plain_peer(again))
                shutil.rmtree(again, ignore_errors=True)
            each = f" (median of {', '.join(f'{r:.2f}' for r in ratios)})" if len(ratios) > 1 else ""
            rows += [("plain peer (mkdocs + WeasyPrint, one by one)", f"{peer:.1f} s", ""),
                     ("cold build / plain peer", f"{statistics.median(ratios):.2f}{each}", "≤ 0.6")]
        if not args.skip_serve:
            print("serve:", flush=True)
            median = serve_edit_to_visible(project)
            rows.append(("serve edit to visible, median of 10", f"{median:.2f} s", "≤ 1.5 s"))
        if args.scale:
            print("scale:", flush=True)
            for copies in (1, *sorted(set(args.scale))):
                n, html, site_s, pages, pdf_s = scale_row(work, copies)
                rows.append((f"×{n}: {html} HTML pages, {pages} PDF pages",
                             f"{site_s / html:.3f} s/HTML page, {pdf_s / pages:.3f} s/PDF page", ""))
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    print(f"\n{'measure':<{width}}  {'result':<{value_width}}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<{value_width}}  {target}")
    print(f"({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end)")


if __name__ == "__main__":
    main()

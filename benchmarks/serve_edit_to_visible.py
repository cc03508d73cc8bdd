"""Benchmark (not a test): `psychoed serve`'s time from saving a module to the new page being served.

    .venv/bin/python benchmarks/serve_edit_to_visible.py [--track addiction] [--module FILE] [--edits 10]

Copies the bundled curriculum to a temporary folder, starts `psychoed serve` on a free port,
waits for the first preview, then edits the module's `main_message` `--edits` times. Each edit
is timed from the write to the moment the module's page, fetched over HTTP, shows the new text
(what a reloading browser would get; the PDFs are not awaited). Prints each time and the median.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.02
PAGE_TIMEOUT_SECONDS = 300.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def seconds_until(url: str, text: str, timeout: float = PAGE_TIMEOUT_SECONDS) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if text in page_text(url):
            return time.perf_counter() - started
        time.sleep(POLL_SECONDS)
    raise SystemExit(f"{url} did not show {text!r} within {timeout:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--track", default="addiction")
    parser.add_argument("--module", default="trigger-management/understanding-triggers.yml",
                        help="the module file to edit, under curriculum/modules/")
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--engine", default=None)
    parser.add_argument("--build-dir", type=Path, default=None,
                        help="a build folder to use (say, one whose PDF cache is warm); default: a new one")
    parser.add_argument("--first-timeout", type=float, default=PAGE_TIMEOUT_SECONDS,
                        help="seconds to wait for the first preview (the old serve rendered every PDF first)")
    args = parser.parse_args()

    # Not named psychoed-*: the preview's own temporary folder goes in here too, out of reach of
    # whatever else on the machine tidies up folders of that name.
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    (work / "tmp").mkdir()
    curriculum = work / "curriculum"
    shutil.copytree(REPO / "curriculum", curriculum)
    for extra in ("theme", "mkdocs.yml"):  # a project's own theme or base config, when it has one
        if (REPO / extra).exists():
            (shutil.copytree if (REPO / extra).is_dir() else shutil.copyfile)(REPO / extra, work / extra)
    module = curriculum / "modules" / args.module
    family, stem = module.parent.name, module.stem
    port = free_port()
    page = f"http://127.0.0.1:{port}/modules/{family}/{stem}/"
    command = [sys.executable, "-m", "generator", "serve", "--curriculum", str(curriculum), "--track", args.track,
               "--port", str(port), "--build-dir", str(args.build_dir or work / "build")]
    if args.engine:
        command += ["--engine", args.engine]
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=work,
                              env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(work / "tmp")})
    try:
        original = module.read_text(encoding="utf-8")
        first_line = re.search(r"^main_message: .*$", original, re.MULTILINE)
        if first_line is None:
            raise SystemExit(f"{module} has no one-line main_message to edit")
        seconds_until(page, "</html>", args.first_timeout)
        print(f"first preview after {time.perf_counter() - started:.2f} s", file=sys.stderr)
        times = []
        for n in range(1, args.edits + 1):
            marker = f"Benchmark edit number {n} is here."
            module.write_text(original.replace(first_line.group(0), f"main_message: {marker}"), encoding="utf-8")
            times.append(seconds_until(page, marker))
            print(f"edit {n}: {times[-1]:.2f} s", file=sys.stderr)
            time.sleep(0.5)  # an author does not save twice in the same instant
        print(f"serve edit-to-visible ({args.track}, {args.module}): median {statistics.median(times):.2f} s, "
              f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} edits")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark (not a test): time to render every PDF handout of the bundled curriculum.

    .venv/bin/python benchmarks/bench_handouts.py [--curriculum DIR] [--workers N]

Cold: an empty cache, so every PDF renders. Warm: the same run again with nothing changed,
so every PDF comes from the cache. The figures include checking the curriculum and writing
the print HTML, as `psychoed handouts` does; MkDocs is not involved.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pypdf

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.check import check_curriculum  # noqa: E402
from generator.handouts import RenderReport, handout_batch, refresh_handouts  # noqa: E402


def render_all(curriculum: Path, cache: Path, workers: int) -> tuple[float, RenderReport]:
    started = time.perf_counter()
    checked = check_curriculum(curriculum)
    if not checked.ok:
        sys.exit(f"{curriculum}: the curriculum has errors; run `psychoed check`")
    batches = [handout_batch(view, cache / track_id) for track_id, view in checked.views.items()]
    report = refresh_handouts(batches, workers=workers)
    return time.perf_counter() - started, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--curriculum", type=Path, default=REPO / "curriculum")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="psychoed-bench-") as folder:
        cache = Path(folder)
        cold, cold_report = render_all(args.curriculum, cache, args.workers)
        warm, warm_report = render_all(args.curriculum, cache, args.workers)
        pdfs = sorted(cache.glob("*/handouts/**/*.pdf"))  # the documents, not the pieces they are made of
        pages = sum(len(pypdf.PdfReader(path).pages) for path in pdfs)
        megabytes = sum(path.stat().st_size for path in pdfs) / 1e6
    print(f"{len(pdfs)} PDFs, {pages} pages, {megabytes:.1f} MB, {args.workers} worker(s) on {os.cpu_count()} core(s)")
    print(f"cold: {cold:6.1f} s  ({len(cold_report.rendered)} rendered, {len(cold_report.reused)} from the cache)")
    print(f"warm: {warm:6.1f} s  ({len(warm_report.rendered)} rendered, {len(warm_report.reused)} from the cache)")


if __name__ == "__main__":
    main()

"""Render pages of real handouts to PNG, to look at them before calling the print CSS done.

    .venv/bin/python benchmarks/preview_handouts.py [--curriculum DIR] [--track ID] [--out DIR]

Writes build/preview/*.png: the cover and first handout pages of week 1's packet, a blank
worksheet, a facilitator guide page and the handbook's contents, in standard and large
print. Needs `pdftoppm` (Debian's poppler-utils; `make preview` installs it).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.check import check_curriculum  # noqa: E402
from generator.handouts import handout_documents, write_pdf  # noqa: E402

PAGES = {  # handout → pages to show
    "week-01.pdf": (1, 3),
    "facilitator-week-01.pdf": (2, 2),
    "handbook.pdf": (2, 2),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--curriculum", type=Path, default=REPO / "curriculum")
    parser.add_argument("--track", default="anxiety")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "preview")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm not found: install Debian's poppler-utils (make preview does)")
    checked = check_curriculum(args.curriculum)
    if not checked.ok:
        sys.exit(f"{args.curriculum}: the curriculum has errors; run `psychoed check`")
    view = checked.views[args.track]
    first_worksheet = f"worksheets/{next(iter(view.weeks[0].sessions[0].worksheets or view.worksheets.values())).id}.pdf"
    wanted = {**PAGES, first_worksheet: (1, 2)}
    args.out.mkdir(parents=True, exist_ok=True)
    for large_print in (False, True):
        for document in handout_documents(view, large_print=large_print):
            name = document.name.removeprefix("large-print/")
            if name not in wanted:
                continue
            pdf = args.out / document.name
            write_pdf(document.html, pdf)
            first, last = wanted[name]
            stem = args.out / (("large-" if large_print else "") + name.replace("/", "-").removesuffix(".pdf"))
            subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(first), "-l", str(last), str(pdf), str(stem)],
                           check=True)
    for png in sorted(args.out.glob("*.png")):
        print(png.relative_to(REPO) if png.is_relative_to(REPO) else png)


if __name__ == "__main__":
    main()

"""The `psychoed` command line: build, check, serve, schema.

Exit status: 0 success, 1 problems in the curriculum, 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Callable, Optional, Sequence

from .build import BuildPaths, UsageError, build
from .check import check_curriculum
from .diagnostics import CurriculumError, Diagnostic, errors
from .schema import json_schemas, write_schemas
from .site import SiteBuildError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"psychoed: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CurriculumError as exc:
        _report(exc.diagnostics)
        return EXIT_CONTENT
    except SiteBuildError as exc:
        for message in exc.messages:
            print(f"psychoed: error: track `{exc.track_id}`: {message}", file=sys.stderr)
        print("psychoed: the site was not published; the previous site is unchanged", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in Psychoed, not in the curriculum
        if os.environ.get("PSYCHOED_DEBUG"):
            traceback.print_exc()
        print(f"psychoed: internal error: {exc!r} (set PSYCHOED_DEBUG=1 for details; please report it)",
              file=sys.stderr)
        return 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="psychoed", description="Publish an IOP psychoeducation curriculum.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(run=run)
        return sub

    def curriculum_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--curriculum", type=Path, default=Path("curriculum"), metavar="DIR",
                         help="the curriculum folder (default: curriculum)")

    sub = command("build", _build, "validate, then build every track's site (or the named ones)")
    curriculum_option(sub)
    sub.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="published site (default: site)")
    sub.add_argument("--build-dir", type=Path, default=Path("build"), metavar="DIR",
                     help="generated MkDocs projects (default: build)")
    sub.add_argument("--track", action="append", default=[], metavar="ID", help="build only this track (repeatable)")

    sub = command("check", _check, "load and validate the curriculum; print every problem")
    curriculum_option(sub)

    sub = command("serve", _serve, "live preview of one track on 127.0.0.1, rebuilt when the curriculum changes")
    curriculum_option(sub)
    sub.add_argument("--track", required=True, metavar="ID")
    sub.add_argument("--port", type=int, default=8000)
    sub.add_argument("--build-dir", type=Path, default=Path("build"), metavar="DIR")

    sub = command("schema", _schema, "print the JSON Schema of every file kind (or write them to a folder)")
    sub.add_argument("--write", type=Path, metavar="DIR", help="write <kind>.schema.json files into DIR")
    return parser


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    _require_folder(args.curriculum)
    built = build(BuildPaths(args.curriculum, args.out, args.build_dir), args.track)
    seconds = time.perf_counter() - started
    print(f"built {len(built)} track(s) into {args.out}/ in {seconds:.1f} s: {', '.join(built)}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    _require_folder(args.curriculum)
    result = check_curriculum(args.curriculum)
    _report(result.diagnostics)
    if not result.ok:
        return EXIT_CONTENT
    curriculum = result.curriculum
    assert curriculum is not None
    print(f"{args.curriculum}: ok — {len(curriculum.tracks)} tracks, {len(curriculum.modules)} modules, "
          f"{len(curriculum.worksheets)} worksheets", file=sys.stderr)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    _require_folder(args.curriculum)
    serve(args.curriculum, args.track, args.build_dir, port=args.port)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    if args.write:
        for path in write_schemas(args.write):
            print(f"wrote {path}")
    else:
        print(json.dumps(json_schemas(), indent=2))
    return EXIT_OK


def _require_folder(curriculum: Path) -> None:
    if not curriculum.is_dir():
        raise UsageError(f"curriculum folder `{curriculum}` not found; pass --curriculum DIR")


def _report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic)
    if diagnostics:
        count = len(errors(diagnostics))
        print(f"{count} error(s), {len(diagnostics) - count} warning(s)", file=sys.stderr)

"""The `psychoed` command line: new, build, handouts, check, serve, translations, schema.

Exit status: 0 success, 1 problems in the curriculum, 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Callable, Optional, Sequence

# Only light modules here: `psychoed build` with nothing to do must answer before the pipeline
# (pydantic, Jinja, MkDocs, WeasyPrint) is imported, so each command imports what it runs.
from .diagnostics import CurriculumError, Diagnostic, errors
from .names import ENGINE_NAMES, PROJECT_SOURCES
from .errors import EngineUnavailable, RunError, SiteBuildError, UsageError, environment_problem
from .publish import guard_folders

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # as if killed by SIGPIPE, like other tools in a pipeline


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    unchanged = "; the previous site is unchanged" if args.command == "build" else ""
    try:
        return args.run(args)
    except (UsageError, EngineUnavailable) as exc:
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
    except RunError as exc:
        print(f"psychoed: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`psychoed schema | head`): nothing left to say
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        problem = environment_problem(exc)
        if problem is None:
            return _internal_error(exc)
        print(f"psychoed: error: {problem}{unchanged}", file=sys.stderr)
        return EXIT_CONTENT
    except Exception as exc:  # a bug in Psychoed, not in the curriculum
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    if os.environ.get("PSYCHOED_DEBUG"):
        traceback.print_exception(exc)
    print(f"psychoed: internal error: {exc!r} (set PSYCHOED_DEBUG=1 for details; please report it)",
          file=sys.stderr)
    return 3


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a real file (tests capture it): nothing will be flushed to a pipe


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

    def engine_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--engine", choices=ENGINE_NAMES, metavar="NAME",
                         help=f"the static-site engine: {' or '.join(ENGINE_NAMES)} (default: `engine:` in program.yml, "
                              "else mkdocs)")

    def output_options(sub: argparse.ArgumentParser, build_dir_help: str) -> None:
        curriculum_option(sub)
        sub.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="published site (default: site)")
        sub.add_argument("--build-dir", type=Path, default=Path("build"), metavar="DIR", help=build_dir_help)
        sub.add_argument("--track", action="append", default=[], metavar="ID", help="only this track (repeatable)")

    sub = command("new", _new, "start a new project in DIR: a one-track skeleton, or the bundled curriculum")
    sub.add_argument("dir", type=Path, metavar="DIR", help="a new or empty folder")
    sub.add_argument("--from", dest="source", choices=PROJECT_SOURCES, default="skeleton",
                     help="skeleton (default): one track, module and worksheet; bundled: a copy of the "
                          "curriculum that ships with Psychoed")

    sub = command("build", _build, "validate, then build every track's site (or the named ones)")
    output_options(sub, "generated MkDocs projects and the PDF cache (default: build)")
    sub.add_argument("--large-print", action="store_true", help="also publish large-print (18 pt) handouts")
    sub.add_argument("--portable", action="store_true",
                     help="also publish each track's offline copy, OUT/<track>/downloads/<track>-offline.zip, "
                          "that works from file:// with no server")
    engine_option(sub)
    sub.add_argument("--site-url", metavar="URL",
                     help="the address OUT/ is published at, such as https://example.org/iop/ (default: the root "
                          "of its host); used for the 404 pages, canonical links and sitemaps")

    sub = command("handouts", _handouts, "build only the PDF handouts into OUT/<track>/handouts/")
    output_options(sub, "where rendered PDFs are cached between runs (default: build)")
    sub.add_argument("--week", action="append", default=[], type=int, metavar="N",
                     help="only week N's packets and their worksheets (repeatable)")
    sub.add_argument("--large-print", action="store_true",
                     help="18 pt large print, written to OUT/<track>/handouts/large-print/")

    sub = command("check", _check, "validate the curriculum and run the content rules; print every finding")
    curriculum_option(sub)
    sub.add_argument("--strict", action="store_true", help="fail on warnings too")
    sub.add_argument("--format", choices=("text", "json", "github"), default="text",
                     help="text (default), json, or GitHub Actions annotations")
    sub.add_argument("--explain", metavar="RULE", help="show a rule's rationale and sources, then exit")
    sub.add_argument("--verbose", action="store_true", help="also list suppressed findings and reading grades")
    sub.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="measure review dates from this day (default: today)")
    sub.add_argument("--build-dir", type=Path, default=Path("build"), metavar="DIR",
                     help="where results are cached between runs, as for `psychoed build` (default: build)")

    sub = command("serve", _serve, "live preview of one track on 127.0.0.1, rebuilt when the curriculum changes")
    curriculum_option(sub)
    sub.add_argument("--track", required=True, metavar="ID")
    sub.add_argument("--port", type=int, default=8000)
    sub.add_argument("--build-dir", type=Path, default=Path("build"), metavar="DIR")
    engine_option(sub)

    sub = command("translations", _translations, "report per language and track what is translated, stale and "
                  "never translated; with --stamp, record the source text each translation matches")
    curriculum_option(sub)
    sub.add_argument("--stamp", nargs="*", type=Path, metavar="FILE",
                     help="write `source_hashes` into these translation files (default: all of them) once they "
                          "match their source")
    sub.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")

    sub = command("schema", _schema, "print the JSON Schema of every file kind (or write them to a folder)")
    sub.add_argument("--write", type=Path, metavar="DIR", help="write <kind>.schema.json files into DIR")
    return parser


def _new(args: argparse.Namespace) -> int:
    from .new_project import new_project

    files = new_project(args.dir, args.source)
    print(f"created {args.dir}/ with {len(files)} files ({args.source}). Next:")
    print(f"  cd {args.dir}")
    print("  psychoed check          # lists the [FILL IN: …] values in curriculum/program.yml")
    first_track = min(path.stem for path in (args.dir / "curriculum" / "tracks").glob("*.yml"))
    print(f"  psychoed serve --track {first_track}")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .build_cache import BuildOptions, unchanged_build
    from .progress import for_stream

    _require_folder(args.curriculum)
    options = BuildOptions(args.out, args.portable, args.site_url, args.engine, args.large_print)
    report = unchanged_build(args.curriculum, args.out, args.build_dir, args.track, options)
    if report is None:
        from .build import BuildPaths, build

        report = build(BuildPaths(args.curriculum, args.out, args.build_dir), args.track,
                       large_print=args.large_print, portable=args.portable, site_url=args.site_url,
                       engine=args.engine, progress=for_stream(sys.stderr))
    _report(report.warnings)
    print(report.summary(args.out))
    return EXIT_OK


def _handouts(args: argparse.Namespace) -> int:
    from .build import BuildPaths, build_handouts

    started = time.perf_counter()
    _require_folder(args.curriculum)
    report = build_handouts(BuildPaths(args.curriculum, args.out, args.build_dir), args.track, weeks=args.week,
                            large_print=args.large_print)
    seconds = time.perf_counter() - started
    print(f"handouts: {len(report.rendered)} PDF(s) rendered, {len(report.reused)} unchanged, "
          f"in {seconds:.1f} s, into {args.out}/<track>/handouts/")
    print(f"pieces: {len(report.pieces_rendered)} rendered, {report.pieces_reused} reused")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    if args.explain:
        from .rules import builtin_rules

        explanation = builtin_rules().explain(args.explain)
        if explanation is None:
            raise UsageError(f"unknown rule `{args.explain}`; rules: {', '.join(builtin_rules().rules)}")
        print(explanation)
        return EXIT_OK
    from .check import check_curriculum

    _require_folder(args.curriculum)
    result = check_curriculum(args.curriculum, args.as_of, cache_dir=_cache_folder(args.curriculum, args.build_dir))
    if args.format == "json":
        print(json.dumps([d.as_dict() for d in result.diagnostics], indent=2))
    elif args.format == "github":
        for diagnostic in result.diagnostics:
            print(_github_annotation(diagnostic))
    else:
        _report(result.diagnostics)
    if args.verbose:
        for finding, reason in result.lint.suppressed:
            print(f"{finding.path}:{finding.line}:{finding.col}: note: [{finding.rule}] suppressed: {finding.message} "
                  f"— allowed because: {reason}", file=sys.stderr)
        print(result.lint.grade_summary(), file=sys.stderr)
    if not result.ok or (args.strict and result.warnings):
        return EXIT_CONTENT
    curriculum = result.curriculum
    assert curriculum is not None
    print(f"{args.curriculum}: ok — {len(curriculum.tracks)} tracks, {len(curriculum.modules)} modules, "
          f"{len(curriculum.worksheets)} worksheets", file=sys.stderr)
    return EXIT_OK


def _cache_folder(curriculum: Path, build_dir: Path) -> Optional[Path]:
    """The build folder, when a build could use it; else None: a check never needs one."""
    try:
        guard_folders(curriculum, None, build_dir)
    except UsageError:
        return None
    return build_dir


def _github_annotation(d: Diagnostic) -> str:
    title = f"[{d.rule}] " if d.rule else ""
    text = f"{title}{d.message}" + (f" ({d.hint})" if d.hint else "")
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{d.severity} file={d.path},line={d.line},col={d.col}::{text}"


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    _require_folder(args.curriculum)
    guard_folders(args.curriculum, None, args.build_dir)
    return serve(args.curriculum, args.track, args.build_dir, port=args.port, engine=args.engine)


def _translations(args: argparse.Namespace) -> int:
    from .load import load_curriculum
    from .translations.report import report_json, report_text, translation_report
    from .translations.stamp import stamp

    _require_folder(args.curriculum)
    curriculum = load_curriculum(args.curriculum)
    if args.stamp is not None:
        try:
            written = stamp(curriculum, args.stamp)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        for path in written:
            print(f"stamped {path}")
        print(f"{len(written)} file(s) stamped", file=sys.stderr)
        return EXIT_OK
    reports = translation_report(curriculum)
    if args.format == "json":
        print(json.dumps(report_json(reports), indent=2, ensure_ascii=False))
    else:
        print(report_text(reports))
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from .schema import json_schemas, write_schemas

    if args.write:
        for path in write_schemas(args.write):
            print(f"wrote {path}")
    else:
        print(json.dumps(json_schemas(), indent=2))
        sys.stdout.flush()  # a closed pipe fails here, where main() answers it, not at exit
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

"""Seeded mutation fuzzer for `psychoed check` over the bundled curriculum's YAML.

    .venv/bin/python benchmarks/fuzz.py [--cases 10000] [--seed 0] [--curriculum DIR]

Each case takes one bundled file, applies one to three random mutations (lines deleted,
duplicated, re-indented or cut off; characters inserted or removed; values replaced by hostile
ones: dates that do not exist, tags, aliases, templates, deep nesting, huge words …) and runs
the real `psychoed check` command on a small curriculum around it: program.yml, the mutated
file and, for a module (or a mutated program.yml), one track that schedules the module and the
worksheets it uses. A whole-curriculum check takes seconds; this slice takes a fraction of
one, and the mutated file goes through every stage its kind goes through.

Each case ends as one of: `clean` (exit 0), `diagnostics` (exit 1, located errors), `usage`
(exit 2), `internal` (exit 3 or an escaping exception: a bug), `slow` (over the time limit).
The suite runs a few hundred cases (tests/test_fuzz.py); this script runs ten thousand and
prints the counts, with the first cases of each bad kind so they can be replayed by seed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.cli import main as psychoed  # noqa: E402

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SLOW_SECONDS = 5.0
HUNG_SECONDS = 60  # a case still running after this is stopped and counted as slow

# Values an author (or a bad paste) might put after a key.
HOSTILE_VALUES = [
    "2026-02-30", "2026-20-01", "0000-01-01", "9999-12-31", "2026-1-1", "!!int abc", "!!bool maybe",
    "!!timestamp 2026-02-30", "!!python/object:os.system x", "!binary aGVsbG8=", "*nowhere", "&anchor value",
    "{{ track.vars.nope }}", "{{ 1/0 }}", "{{ track.title }}", "{% include 'x' %}", "{{", "}}", '""', "''", "~",
    "[]", "{}", "-1", "0", "1e999", "99999999999999999999", "'unclosed", '"unclosed', "> > > > > > > > deep",
    "x" * 150, "https://" + "a" * 3000, "<script>alert(1)</script>", "[x](javascript:alert(1))", "yes", "null",
    ".nan", "0x1F", "|", ">-", "- a\n- b", "a: b: c", "[" * 60 + "]" * 60, "{a: [b, {c: d}]}", "\t", "\\u0000",
    "café ☕ 𝄞", "all", "families", "participants", "letter", "a4", "text", "scale", "999999", "30", "31",
]
# Keys that exist in some file kind, and some that exist in none.
SAFETY_PLAN = "modules/relapse-prevention/safety-planning.yml"
SCHEDULE_RULE_SETS = {"substance-use"}
KEYS = ["title", "summary", "id", "family", "tracks", "weeks", "sessions", "module", "worksheets", "variants",
        "fields", "type", "min", "max", "rows", "columns", "options", "lines", "items", "crisis", "families",
        "language", "verified_on", "last_reviewed", "vars", "safety", "rules", "avoid", "pattern", "phrase",
        "audience", "allow", "rule", "reason", "references", "code", "<<", "? complex", "bogus", "1", "true"]
NOISE = list(":-[]{}&*!|>#'\"%@`,?\t ") + ["\n", "\\", "\u00a0", "\ufeff"]


# --- mutations -------------------------------------------------------------------------------


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        text = rng.choice(_MUTATIONS)(text, rng)
    return text


def _lines(text: str) -> list[str]:
    return text.split("\n") or [""]


def _delete_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def _duplicate_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return "\n".join(lines)


def _swap_lines(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    if len(lines) > 1:
        i = rng.randrange(len(lines) - 1)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    return "\n".join(lines)


def _reindent(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines[i] = rng.choice(["", " ", "  ", "    ", "\t"]) + lines[i].lstrip() if rng.random() < 0.5 else "  " + lines[i]
    return "\n".join(lines)


def _truncate(text: str, rng: random.Random) -> str:
    return text[:rng.randrange(len(text) + 1)]


def _noise(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    if rng.random() < 0.5 and at < len(text):
        return text[:at] + text[at + 1:]
    return text[:at] + rng.choice(NOISE) + text[at:]


def _hostile_value(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    candidates = [i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")]
    if not candidates:
        return text
    i = rng.choice(candidates)
    key = lines[i].split(":", 1)[0]
    lines[i] = f"{key}: {rng.choice(HOSTILE_VALUES)}"
    return "\n".join(lines)


def _hostile_key(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    candidates = [i for i, line in enumerate(lines) if ":" in line]
    if not candidates:
        return text
    i = rng.choice(candidates)
    key, value = lines[i].split(":", 1)
    indent = key[:len(key) - len(key.lstrip())]
    lines[i] = f"{indent}{rng.choice(KEYS)}:{value}"
    return "\n".join(lines)


def _alias_play(text: str, rng: random.Random) -> str:
    snippet = rng.choice([
        "x: &a [1, 2]\ny: *a\n", "x: &a\n  - &b [*b]\n", "x: *a\n", "a: &a " + "z " * 2000 + "\nb: [" + ", ".join(["*a"] * 2000) + "]\n",
        "<<: {title: merged}\n", "? [complex, key]\n: value\n", "---\nsecond: document\n",
    ])
    return text + "\n" + snippet if rng.random() < 0.7 else snippet + text


_MUTATIONS = [_delete_line, _duplicate_line, _swap_lines, _reindent, _truncate, _noise, _noise,
              _hostile_value, _hostile_value, _hostile_value, _hostile_key, _alias_play]


# --- one case --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    kind: str  # clean | diagnostics | usage | internal | slow
    seconds: float
    file: str
    detail: str = ""


class Fuzzer:
    """Mutated slices of one curriculum, checked with the real command line."""

    def __init__(self, curriculum: Path, work: Path):
        self.curriculum = curriculum
        self.work = work
        # Source files only: a translation overlay (x.es.yml) is checked against its source and the
        # program's `translations:`, which a slice leaves out.
        self.files = sorted(p.relative_to(curriculum).as_posix() for p in curriculum.rglob("*.yml")
                            if len(p.name.split(".")) == 2)
        modules = sorted(f for f in self.files if f.startswith("modules/"))
        # The module a mutated program.yml is checked with: the shortest, for speed.
        self.companion = min(modules, key=lambda f: (curriculum / f).stat().st_size)

    def warm_up(self) -> Outcome:
        """Check the unmutated slice once: the first check pays for imports and compiled rules,
        which would otherwise count against the first case's time."""
        folder = self.work / "curriculum"
        shutil.rmtree(folder, ignore_errors=True)
        self._slice(folder, self.companion, (self.curriculum / self.companion).read_text(encoding="utf-8"))
        return self._check(folder, self.companion, slow_after=None)

    def case(self, seed: int) -> Outcome:
        rng = random.Random(seed)
        chosen = rng.choice(self.files)
        mutated = mutate((self.curriculum / chosen).read_text(encoding="utf-8"), rng)
        folder = self.work / "curriculum"
        shutil.rmtree(folder, ignore_errors=True)
        self._slice(folder, chosen, mutated)
        return self._check(folder, chosen)

    def _slice(self, folder: Path, chosen: str, mutated: str) -> None:
        def write(relative: str, text: str) -> None:
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

        original = lambda relative: (self.curriculum / relative).read_text(encoding="utf-8")  # noqa: E731
        write("program.yml", mutated if chosen == "program.yml" else without_translations(original("program.yml")))
        if chosen.startswith(("tracks/", "worksheets/")):
            write(chosen, mutated)
            return
        module = chosen if chosen.startswith("modules/") else self.companion
        # Every track makes a safety plan in week 1 (a content rule), so the slice schedules it too.
        modules = list(dict.fromkeys([module, SAFETY_PLAN]))
        for each in modules:
            write(each, mutated if each == chosen else original(each))
        module_texts = "\n".join(original(each) for each in modules)
        for worksheet in (f for f in self.files if f.startswith("worksheets/")):
            if Path(worksheet).stem in module_texts:
                write(worksheet, original(worksheet))
        # Every track is in the slice (modules have variants for each), with a one-week schedule:
        # the safety plan everywhere, and the module in one track that may schedule it.
        track_id = self._track_for(original(module))
        for each_track in sorted(Path(f).stem for f in self.files if f.startswith("tracks/")):
            track = yaml.load(original(f"tracks/{each_track}.yml"), Loader=_Loader)
            scheduled = modules if each_track == track_id else [SAFETY_PLAN]
            track["weeks"] = [{"title": "Week one", "sessions": [{"module": Path(m).stem} for m in scheduled]}]
            # A whole-schedule rule set (withdrawal and overdose safety in the first weeks) cannot
            # hold for a one-week slice; the slice keeps the track's other rule sets.
            safety = track.get("safety") or {}
            if isinstance(safety, dict) and isinstance(safety.get("rules"), list):
                safety["rules"] = [r for r in safety["rules"] if r not in SCHEDULE_RULE_SETS]
            write(f"tracks/{each_track}.yml", yaml.safe_dump(track, sort_keys=False, allow_unicode=True))

    def _track_for(self, module_text: str) -> str:
        tracks = sorted(Path(f).stem for f in self.files if f.startswith("tracks/"))
        try:
            listed = yaml.load(module_text, Loader=_Loader).get("tracks", "all")
        except (yaml.YAMLError, AttributeError):
            listed = "all"
        if isinstance(listed, list):
            return next((t for t in listed if t in tracks), tracks[0])
        return tracks[0]

    def _check(self, folder: Path, chosen: str, slow_after: float | None = SLOW_SECONDS) -> Outcome:
        out, err = io.StringIO(), io.StringIO()
        started = time.process_time()  # processor time: the case's cost, whatever else the machine runs
        previous = signal.signal(signal.SIGALRM, _hung)
        signal.alarm(HUNG_SECONDS)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = psychoed(["check", "--curriculum", str(folder)])
        except _Hung:
            return Outcome("slow", time.process_time() - started, chosen, "still running after the hang limit")
        except BaseException as exc:  # noqa: BLE001 - anything escaping the CLI is a finding
            return Outcome("internal", time.process_time() - started, chosen, f"escaped: {exc!r}")
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        seconds = time.process_time() - started
        text = err.getvalue() + out.getvalue()
        if code == 3 or "internal error" in text:
            return Outcome("internal", seconds, chosen, text.strip().splitlines()[-1] if text.strip() else "")
        if slow_after is not None and seconds > slow_after:
            return Outcome("slow", seconds, chosen, f"{seconds:.1f} s")
        return Outcome({0: "clean", 1: "diagnostics", 2: "usage"}.get(code, "internal"), seconds, chosen)


def without_translations(program_text: str) -> str:
    """program.yml without its `translations:`: the slice leaves out the overlays they require."""
    program = yaml.load(program_text, Loader=_Loader)
    if not isinstance(program, dict) or "translations" not in program:
        return program_text
    del program["translations"]
    return yaml.safe_dump(program, sort_keys=False, allow_unicode=True)


class _Hung(Exception):
    pass


def _hung(signum: int, frame: object) -> None:
    raise _Hung()


def run(cases: int, seed: int, curriculum: Path,
        progress: int = 0) -> tuple[Counter[str], list[tuple[int, Outcome]], float]:
    counts: Counter[str] = Counter()
    findings: list[tuple[int, Outcome]] = []
    slowest = 0.0
    with tempfile.TemporaryDirectory(prefix="psychoed-fuzz-") as scratch:
        fuzzer = Fuzzer(curriculum, Path(scratch))
        fuzzer.warm_up()
        for case_seed in range(seed, seed + cases):
            outcome = fuzzer.case(case_seed)
            counts[outcome.kind] += 1
            slowest = max(slowest, outcome.seconds)
            if outcome.kind in ("internal", "slow"):
                findings.append((case_seed, outcome))
            done = case_seed - seed + 1
            if progress and done % progress == 0:
                print(f"  … {done} cases: {dict(counts)}", file=sys.stderr, flush=True)
    return counts, findings, slowest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0, help="seed of the first case; case N uses seed+N")
    parser.add_argument("--curriculum", type=Path, default=REPO / "curriculum")
    parser.add_argument("--progress", type=int, default=500, metavar="N", help="print the counts every N cases")
    args = parser.parse_args()
    started = time.perf_counter()
    counts, findings, slowest = run(args.cases, args.seed, args.curriculum.resolve(), args.progress)
    total = time.perf_counter() - started
    print(f"{args.cases} cases (seeds {args.seed}..{args.seed + args.cases - 1}) in {total:.0f} s; "
          f"slowest case {slowest:.2f} s")
    for kind in ("clean", "diagnostics", "usage", "internal", "slow"):
        print(f"  {kind:<12}{counts[kind]:>7}")
    for case_seed, outcome in findings[:20]:
        print(f"  seed {case_seed}: {outcome.kind} in {outcome.file}: {outcome.detail}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())

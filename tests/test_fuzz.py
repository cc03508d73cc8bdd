"""A seeded mutation fuzzer over the bundled YAML: no mutation ends in "internal error" or
takes over 5 s (`benchmarks/fuzz.py` has the mutations; it runs ten thousand cases)."""

from __future__ import annotations

import sys

from conftest import BUNDLED, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from fuzz import SLOW_SECONDS, Fuzzer  # noqa: E402

CASES = 250


def test_mutated_curricula_get_diagnostics_not_internal_errors(tmp_path):
    fuzzer = Fuzzer(BUNDLED, tmp_path)
    assert fuzzer.warm_up().kind == "clean", "the unmutated slice is a valid curriculum"
    outcomes = {seed: fuzzer.case(seed) for seed in range(CASES)}
    bad = {seed: o for seed, o in outcomes.items() if o.kind in ("internal", "slow") or o.seconds > SLOW_SECONDS}
    assert not bad, "\n".join(f"seed {s}: {o.kind} in {o.file} ({o.seconds:.1f} s): {o.detail}" for s, o in bad.items())
    kinds = {o.kind for o in outcomes.values()}
    assert {"clean", "diagnostics"} <= kinds, "the mutations both break files and leave some valid"
    assert len({o.file for o in outcomes.values()}) > 30, "cases spread over the bundled files"

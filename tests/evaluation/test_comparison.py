"""The paired rule on runs with known answers, and through `assistant eval --compare`."""
import json
import subprocess
import sys

import numpy as np
import pytest

from assistant.evaluation.comparison import ComparisonError, compare, load_run, paired_interval
from conftest import ROOT


def run(rights: dict[str, list[bool]], hit=0.8, hard=0.0) -> dict:
    return {"rows": [{"set": name, "system": "assistant", "questions": len(r),
                      "metrics": {"hit@1": hit, "hard_false_abstain": hard}} for name, r in rights.items()],
            "details": {name: {"replies": {f"q{i}/0": v for i, v in enumerate(r)}} for name, r in rights.items()}}


def test_the_same_run_changes_nothing():
    a = run({"A": [True, False] * 50, "B": [True] * 30 + [False] * 10})
    c = compare(a, a)
    assert c.pooled.questions == 140 and c.pooled.change == 0 and (c.pooled.low, c.pooled.high) == (0, 0)
    assert c.design_ships and not c.quality_ships


def test_a_clear_gain_ships_and_a_loss_does_not():
    before = run({"A": [False] * 100, "B": [False] * 100})
    after = run({"A": [True] * 30 + [False] * 70, "B": [True] * 20 + [False] * 80})
    gain = compare(before, after)
    assert gain.pooled.change == pytest.approx(0.25) and gain.pooled.low > 0 and gain.quality_ships
    assert {d.name: d.change for d in gain.sets} == pytest.approx({"A": 0.3, "B": 0.2})
    loss = compare(after, before)
    assert loss.pooled.high < 0 and not loss.design_ships and "below zero" in loss.verdict()


def test_a_gain_within_noise_is_not_a_quality_change():
    rng = np.random.default_rng(1)
    before = rng.random(200) < 0.6
    after = before.copy()
    after[:3] = True      # three more right out of 200: inside the interval
    c = compare(run({"A": list(before)}), run({"A": list(after)}))
    assert c.pooled.low <= 0 < c.pooled.high and c.design_ships and not c.quality_ships


def test_per_set_limits_stop_a_gain():
    before = run({"A": [False] * 100}, hit=0.80)
    after = run({"A": [True] * 50 + [False] * 50}, hit=0.77, hard=0.05)
    c = compare(before, after)
    assert c.pooled.low > 0 and not c.quality_ships and not c.design_ships
    assert any("hit@1 fell" in b for b in c.broken) and any("hard false abstentions" in b for b in c.broken)


def test_questions_are_paired_by_key():
    before = run({"A": [True, False, True]})
    after = run({"A": [True, False]})
    after["details"]["A"]["replies"]["new/0"] = True
    c = compare(before, after)
    assert c.pooled.questions == 2 and c.unmatched == 2 and c.pooled.change == 0


def test_interval_is_paired():
    # Every question flips the same way in both: the paired interval is exactly the change.
    b = np.array([0.0] * 50 + [1.0] * 50)
    low, high = paired_interval(b, b.copy(), np.random.default_rng(0))
    assert low == high == 0


def test_runs_that_cannot_be_compared(tmp_path):
    (tmp_path / "old.json").write_text(json.dumps({"rows": [], "details": {"A": {"failures": []}}}))
    with pytest.raises(ComparisonError, match="no per-question replies"):
        load_run(tmp_path / "old.json")
    (tmp_path / "bad.json").write_text("{oops")
    with pytest.raises(ComparisonError, match="not a readable benchmark run"):
        load_run(tmp_path / "bad.json")
    with pytest.raises(ComparisonError, match="no questions in common"):
        compare(run({"A": [True]}), run({"B": [True]}))


def test_compare_cli(tmp_path):
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    before.write_text(json.dumps(run({"A": [False] * 100})))
    after.write_text(json.dumps(run({"A": [True] * 40 + [False] * 60})))

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "assistant", "eval", "--compare", *map(str, args)],
                              capture_output=True, text=True, cwd=ROOT)

    r = cli(before, after)
    assert r.returncode == 0, r.stderr
    assert "| **pooled** | 100 | 0.000 | 0.400 | +0.400 |" in r.stdout and "ships as a quality change" in r.stdout
    r = cli(after, before)
    assert r.returncode == 1 and "does not ship" in r.stdout
    r = cli(before)
    assert r.returncode == 2 and "needs --benchmark" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    (tmp_path / "bad.json").write_text("[]")
    r = cli(before, tmp_path / "bad.json")
    assert r.returncode == 2 and "no per-question replies" in r.stderr

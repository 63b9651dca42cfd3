"""The paired rule: a change is judged on the same questions as the run before it.

Two benchmark runs (`BenchmarkResult.to_dict()`, as `--out` saves them) are matched question by
question. The difference in reply accuracy gets a 95% bootstrap interval: questions are resampled
and both runs are scored on the same draw, per set and pooled over every set. A quality change
ships when the pooled interval lies above zero; a speed or design change when it reaches zero or
above; both only within the per-set limits (hard false abstentions, evidence hit@1).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MAX_HARD_FALSE_ABSTAIN = 0.02   # on every set, in the run judged
MAX_HIT_FALL = 0.02             # evidence hit@1 of a set may fall by at most this much
DRAWS = 2000


class ComparisonError(ValueError):
    """A run that cannot be compared (not a benchmark run, or no questions in common)."""


@dataclass
class Difference:
    """Reply accuracy before and after on the questions both runs asked, and the interval of
    after minus before."""
    name: str
    questions: int
    before: float
    after: float
    low: float
    high: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass
class Comparison:
    sets: list[Difference]
    pooled: Difference
    broken: list[str] = field(default_factory=list)   # per-set limits the run judged breaks
    unmatched: int = 0                               # questions only one run asked (left out)

    @property
    def quality_ships(self) -> bool:
        return not self.broken and self.pooled.low > 0

    @property
    def design_ships(self) -> bool:
        return not self.broken and self.pooled.high >= 0

    def verdict(self) -> str:
        if self.quality_ships:
            return "ships as a quality change (pooled interval above zero, limits kept)"
        if self.design_ships:
            return "ships as a speed or design change only (pooled interval reaches zero, limits kept)"
        return "does not ship: " + ("; ".join(self.broken) if self.broken else "pooled interval below zero")

    def to_markdown(self) -> str:
        lines = ["| set | questions | before | after | change | 95% interval |", "|---|---|---|---|---|---|"]
        for d in self.sets + [self.pooled]:
            name = f"**{d.name}**" if d is self.pooled else d.name
            lines.append(f"| {name} | {d.questions} | {d.before:.3f} | {d.after:.3f} | {d.change:+.3f} "
                         f"| [{d.low:+.3f}, {d.high:+.3f}] |")
        if self.unmatched:
            lines += ["", f"{self.unmatched} questions asked in only one of the runs are left out."]
        lines += [""] + [f"Limit broken: {line}" for line in self.broken] + [f"Verdict: the change {self.verdict()}."]
        return "\n".join(lines) + "\n"


def load_run(path: str | Path) -> dict[str, Any]:
    try:
        run = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ComparisonError(f"{path}: not a readable benchmark run ({exc})") from None
    if not isinstance(run, dict) or not any("replies" in d for d in (run.get("details") or {}).values()
                                            if isinstance(d, dict)):
        raise ComparisonError(f"{path}: no per-question replies; save a benchmark run with "
                              "`assistant eval --benchmark --out STEM` and compare STEM.json")
    return run


def _replies(run: dict[str, Any]) -> dict[str, dict[str, bool]]:
    return {name: {k: bool(v) for k, v in d["replies"].items()}
            for name, d in run["details"].items() if isinstance(d, dict) and "replies" in d}


def _metrics(run: dict[str, Any]) -> dict[str, dict[str, float]]:
    return {row["set"]: row["metrics"] for row in run.get("rows", []) if row.get("system") == "assistant"}


def paired_interval(before: np.ndarray, after: np.ndarray, rng: np.random.Generator,
                    draws: int = DRAWS) -> tuple[float, float]:
    """95% bootstrap interval of mean(after) - mean(before), both scored on each draw of questions."""
    n = len(before)
    picks = rng.integers(0, n, size=(draws, n))
    diffs = after[picks].mean(axis=1) - before[picks].mean(axis=1)
    low, high = np.percentile(diffs, [2.5, 97.5])
    return float(low), float(high)


def compare(before: dict[str, Any], after: dict[str, Any], draws: int = DRAWS, seed: int = 0) -> Comparison:
    rng = np.random.default_rng(seed)
    old, new = _replies(before), _replies(after)
    sets, pooled_before, pooled_after, unmatched = [], [], [], 0
    for name in new:
        keys = sorted(set(new[name]) & set(old.get(name, {})))
        unmatched += len(set(new[name]) ^ set(old.get(name, {})))
        if not keys:
            continue
        b = np.array([old[name][k] for k in keys], dtype=float)
        a = np.array([new[name][k] for k in keys], dtype=float)
        sets.append(Difference(name, len(keys), b.mean(), a.mean(), *paired_interval(b, a, rng, draws)))
        pooled_before.append(b)
        pooled_after.append(a)
    if not sets:
        raise ComparisonError("the two runs have no questions in common")
    b, a = np.concatenate(pooled_before), np.concatenate(pooled_after)
    pooled = Difference("pooled", len(b), b.mean(), a.mean(), *paired_interval(b, a, rng, draws))
    broken = []
    old_metrics, new_metrics = _metrics(before), _metrics(after)
    for d in sets:
        m, o = new_metrics.get(d.name, {}), old_metrics.get(d.name, {})
        hard = m.get("hard_false_abstain", float("nan"))
        if hard == hard and hard > MAX_HARD_FALSE_ABSTAIN:
            broken.append(f"{d.name}: hard false abstentions {hard:.3f} > {MAX_HARD_FALSE_ABSTAIN}")
        if "hit@1" in m and "hit@1" in o and m["hit@1"] < o["hit@1"] - MAX_HIT_FALL:
            broken.append(f"{d.name}: evidence hit@1 fell {o['hit@1']:.3f} -> {m['hit@1']:.3f}")
    return Comparison(sets, pooled, broken, unmatched)

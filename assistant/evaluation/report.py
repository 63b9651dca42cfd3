"""An evaluation report: several systems on one gold set, as a dict, JSON, Markdown or a chart."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .evaluator import SystemResult

MAIN = ["hit@1", "hit@k", "mrr", "quote_precision", "answer_contains", "answer_in_quote", "answer_in_quotes",
        "exact_match", "f1", "f1_claimed",
        "abstain_unanswerable", "false_abstain", "follow_up_hit@1", "quote_fidelity",
        "whole_article_correct", "intent_recognised", "false_intent",
        "reply_accuracy", "coverage", "confident_error", "hard_false_abstain", "confident_unanswerable",
        "closest_hit"]
SHOWN = MAIN + ["quote_chars", "latency_p50_ms", "latency_p95_ms", "first_text_p50_ms", "written",
                 "answer_words_in_quotes"]
# Metrics where lower is better (`--min` reads them as maxima).
MAXIMA = ("false_abstain", "false_intent", "confident_error", "hard_false_abstain", "confident_unanswerable")
PLOTTED = ["hit@1", "mrr", "quote_precision", "answer_contains", "f1", "abstain_unanswerable"]


def _fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.3f}" if abs(value) <= 1.0 else f"{value:.1f}"


@dataclass
class EvalReport:
    gold: str
    systems: list[SystemResult] = field(default_factory=list)

    @property
    def main(self) -> SystemResult:
        return self.systems[0]

    def to_dict(self) -> dict[str, Any]:
        # The failures of peers are long and seldom read; the assistant's are kept.
        return {"gold": self.gold, "systems": [s.to_dict(failures=i == 0) for i, s in enumerate(self.systems)]}

    def save_json(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2, default=str), encoding="utf-8")

    def fidelity_ok(self) -> bool:
        return self.main.overall["quote_fidelity"] >= 1.0

    def to_markdown(self) -> str:
        names = [s.name for s in self.systems]
        overall = [s.overall for s in self.systems]
        lines = [f"# Evaluation on {self.gold}", "",
                 f"{overall[0]['questions']} questions (conversation turns counted one by one).", ""]
        if not self.fidelity_ok():
            lines += ['<span style="color:red">**BUG: some quotes are not verbatim slices of their '
                      'document (quote fidelity below 100%).**</span>', ""]
        header = "| metric | " + " | ".join(names) + " |"
        if len(names) > 1:
            header += " " + " | ".join(f"{names[0]} / {n}" for n in names[1:]) + " |"
        lines += [header, "|" + "---|" * (header.count("|") - 1)]
        for metric in SHOWN:
            values = [o[metric] for o in overall]
            row = f"| {metric} | " + " | ".join(_fmt(v) for v in values) + " |"
            if len(names) > 1:
                ratios = [values[0] / v if v and not math.isnan(v) and not math.isnan(values[0]) else float("nan")
                          for v in values[1:]]
                row += " " + " | ".join("–" if math.isnan(r) else f"{r:.2f}×" for r in ratios) + " |"
            lines.append(row)
        lines += ["", f"## {names[0]} by kind", "", "| kind | n | hit@1 | answer_contains | f1 | abstain (unanswerable) | false abstain |",
                  "|---|---|---|---|---|---|---|"]
        for kind, m in self.main.by_kind().items():
            lines.append(f"| {kind} | {m['questions']} | {_fmt(m['hit@1'])} | {_fmt(m['answer_contains'])} | "
                         f"{_fmt(m['f1'])} | {_fmt(m['abstain_unanswerable'])} | {_fmt(m['false_abstain'])} |")
        failures = self.main.failures()
        lines += ["", f"## Failures of {names[0]} ({len(failures)})", ""]
        for r in failures:
            got = "(abstained)" if r.abstained else r.answer
            lines.append(f"- **{r.item_id}** turn {r.turn + 1} ({r.kind}): {r.question}  \n"
                         f"  expected: {', '.join(r.expected) or '(abstain)'}; got: {got}")
            for q in r.quotes[:3]:
                lines.append(f"  > {q['text']}")
        return "\n".join(lines) + "\n"

    def plot(self, path: str | Path) -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import numpy as np

        fig, ax = plt.subplots(figsize=(9, 4))
        width = 0.8 / len(self.systems)
        x = np.arange(len(PLOTTED))
        for i, system in enumerate(self.systems):
            o = system.overall
            ax.bar(x + i * width, [0 if math.isnan(o[m]) else o[m] for m in PLOTTED], width, label=system.name)
        ax.set_xticks(x + width * (len(self.systems) - 1) / 2, PLOTTED, rotation=15)
        ax.set_ylim(0, 1)
        ax.set_title(f"Evaluation on {self.gold}")
        ax.legend()
        fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)

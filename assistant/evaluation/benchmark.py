"""The quality benchmark: several question sets in one run, one table, peers beside the assistant.

For each set, the test articles (never trained or tuned on: `datasets.split_of`) go into one fresh
index and every question is asked over all of them; then the on-topic unanswerable variant asks
the same questions (a sample) against their own article with the gold sentences deleted, where
the right reply is to abstain.
"""
from __future__ import annotations

import json
import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .datasets import Article
from .evaluator import GoldSetEvaluator, SystemResult
from .gold import GoldItem

COLUMNS = [("reply_accuracy", "reply accuracy"), ("hit@1", "evidence hit@1"), ("answer_in_quote", "answer in first quote"),
           ("f1", "short-answer F1"), ("f1_claimed", "F1 of answers claimed"), ("false_abstain", "false abstentions"),
           ("on_topic_abstain", "on-topic abstentions"), ("abstain_unanswerable", "unanswerable items abstained"),
           ("confident_error", "confident error"), ("coverage", "coverage"),
           ("hard_false_abstain", "hard false abstentions"), ("variants_confident", "variants answered with confidence"),
           ("closest_hit", "closest-passage hit"), ("latency_p50_ms", "p50 ms")]


def reply_key(result, variant: bool = False) -> str:
    """A question's key in the per-question replies (the paired rule matches runs on it)."""
    return f"variant/{result.item_id}" if variant else f"{result.item_id}/{result.turn}"


@dataclass
class BenchmarkSet:
    name: str
    articles: list[Article]
    note: str = ""

    @property
    def items(self) -> list[GoldItem]:
        return [item for a in self.articles for item in a.items]


@dataclass
class Row:
    set: str
    system: str
    questions: int
    metrics: dict[str, float]


@dataclass
class BenchmarkResult:
    rows: list[Row] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def to_markdown(self) -> str:
        lines = ["# Quality benchmark", "",
                 "Test articles only (split by article: `assistant/evaluation/datasets.py:split_of`); "
                 "peers quote their top sentence (`chunks`: top 1,000-character chunks) and never abstain.", "",
                 "| set | system | questions | " + " | ".join(title for _, title in COLUMNS) + " |",
                 "|---|---|---|" + "---|" * len(COLUMNS)]
        for row in self.rows:
            cells = [_fmt(row.metrics.get(key)) for key, _ in COLUMNS]
            lines.append(f"| {row.set} | {row.system} | {row.questions} | " + " | ".join(cells) + " |")
        lines += ["", "## Sets", ""] + [f"- **{name}**: {note}" for name, note in self.notes.items()]
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {"rows": [row.__dict__ for row in self.rows], "notes": self.notes, "details": self.details}

    def save(self, stem: Path) -> None:
        stem.parent.mkdir(parents=True, exist_ok=True)
        stem.with_suffix(".md").write_text(self.to_markdown(), encoding="utf-8")
        stem.with_suffix(".json").write_text(json.dumps(self.to_dict(), indent=1, default=str), encoding="utf-8")
        self.plot(stem.with_suffix(".png"))
        self.plot_confidence(stem.with_name(stem.name + "_confidence.png"))

    def plot_confidence(self, path: Path) -> None:
        """Reliability (confidence against how often the first quote holds the gold, variants
        counting as wrong) and risk-coverage (answerable questions by falling confidence: the share
        answered against the share of those answers that are wrong), one line per set."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import numpy as np

        fig, (rel, risk) = plt.subplots(1, 2, figsize=(9, 3.8))
        bins = np.linspace(0, 1, 11)
        for name, detail in self.details.items():
            rows = detail.get("confidence") or []
            if not rows:
                continue
            c = np.array([r[0] for r in rows], dtype=float)
            right = np.array([r[1] for r in rows], dtype=float)
            answerable = np.array([r[2] for r in rows], dtype=bool)
            which = np.clip(np.digitize(c, bins) - 1, 0, 9)
            shown = [b for b in range(10) if (which == b).sum() >= 5]
            rel.plot([c[which == b].mean() for b in shown], [right[which == b].mean() for b in shown], "o-", label=name)
            order = np.argsort(-c[answerable], kind="stable")
            wrong = 1 - right[answerable][order]
            k = np.arange(1, len(order) + 1)
            risk.plot(k / len(order), np.cumsum(wrong) / k, label=name)
        rel.plot([0, 1], [0, 1], ":", color="grey")
        rel.set(xlabel="confidence", ylabel="first quote right", title="reliability", xlim=(0, 1), ylim=(0, 1))
        risk.set(xlabel="coverage (answerable questions answered)", ylabel="error among those answered",
                 title="risk-coverage", xlim=(0, 1), ylim=(0, 1))
        rel.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)

    def plot(self, path: Path) -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import numpy as np

        sets = list(dict.fromkeys(r.set for r in self.rows))
        systems = list(dict.fromkeys(r.system for r in self.rows))
        shown = [("hit@1", "evidence hit@1"), ("on_topic_abstain", "on-topic abstentions"),
                 ("false_abstain", "false abstentions")]
        fig, axes = plt.subplots(1, len(shown), figsize=(4.2 * len(shown), 3.8))
        width = 0.8 / len(systems)
        for ax, (key, title) in zip(axes, shown):
            for i, system in enumerate(systems):
                values = [next((r.metrics.get(key) for r in self.rows if r.set == s and r.system == system), None)
                          for s in sets]
                ax.bar(np.arange(len(sets)) + i * width, [0 if v is None or math.isnan(v) else v for v in values],
                       width, label=system)
            ax.set_xticks(np.arange(len(sets)) + width * (len(systems) - 1) / 2, sets, rotation=20, fontsize=8)
            ax.set_ylim(0, 1)
            ax.set_title(title)
        axes[0].legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.3f}" if abs(value) <= 1.0 else f"{value:.1f}"


def variant_items(bset: BenchmarkSet, limit: int) -> tuple[list, list[GoldItem]]:
    """(documents, items) of the on-topic unanswerable variant, for an even sample of `limit`
    single-turn answerable items."""
    pool = [(a, item) for a in bset.articles for item in a.items if item.kind != "unanswerable"
            and not item.turns]
    step = max(1, math.ceil(len(pool) / limit)) if limit else 1
    documents, items = [], []
    for article, item in pool[::step][:limit]:
        doc = article.without_evidence(item)
        if doc is None:
            continue
        documents.append(doc)
        items.append(GoldItem(id=item.id, kind="unanswerable", question=item.question, doc_id=doc.id))
    return documents, items


class QualityBenchmark:
    """`QualityBenchmark(sets).run(make_system)`: `make_system(index_dir)` returns an empty
    `Assistant` on that directory (so a trained variant can be compared with the same code)."""

    def __init__(self, sets: list[BenchmarkSet], peers: tuple[str, ...] = ("bm25", "dense", "chunks"),
                 variant_limit: int = 150, log: Callable[[str], None] = print) -> None:
        self.sets = sets
        self.peers = peers
        self.variant_limit = variant_limit
        self.log = log

    @staticmethod
    def ask_variants(bot, documents, items) -> SystemResult:
        """Each variant alone in the index, as a user with that one article would ask."""
        from tqdm import tqdm

        results = []
        for doc, item in tqdm(list(zip(documents, items)), desc="gold removed", unit="q", leave=False):
            bot.add_document(doc.text, doc.id, doc.title, doc.metadata)
            results += GoldSetEvaluator([item], scoped=True).run(bot, warm_up=False).results
            bot.remove_document(doc.id)
        return SystemResult("assistant", results)

    def run(self, make_system: Callable[[Path], Any]) -> BenchmarkResult:
        from tqdm import tqdm

        from .baselines import make_peer

        result = BenchmarkResult()
        for bset in self.sets:
            result.notes[bset.name] = (bset.note or "") + f" {len(bset.articles)} articles, {len(bset.items)} items."
            with tempfile.TemporaryDirectory() as tmp:
                bot = make_system(Path(tmp) / "main")
                for article in tqdm(bset.articles, desc=f"{bset.name}: index", unit="doc", leave=False):
                    doc = article.document
                    bot.add_document(doc.text, doc.id, doc.title, doc.metadata)
                evaluator = GoldSetEvaluator(bset.items, bset.name)
                systems = [("assistant", bot)] + [(p, make_peer(p, bot)) for p in self.peers]
                runs: dict[str, SystemResult] = {}
                for name, system in systems:
                    with tqdm(total=evaluator.turn_count, desc=f"{bset.name}: {name}", unit="q", leave=False) as bar:
                        runs[name] = evaluator.run(system, name, progress=bar.update)
                documents, items = variant_items(bset, self.variant_limit)
                on_topic = self.ask_variants(make_system(Path(tmp) / "variants"), documents, items)
            for name, run in runs.items():
                metrics = dict(run.overall)
                if name == "assistant":
                    metrics["on_topic_abstain"] = on_topic.overall["abstain_unanswerable"]
                    metrics["variants_confident"] = on_topic.overall["confident_unanswerable"]
                    replies = {reply_key(r): r.right for r in run.results}
                    replies |= {reply_key(r, variant=True): r.right for r in on_topic.results}
                    metrics["reply_accuracy"] = sum(replies.values()) / len(replies) if replies else float("nan")
                    result.details[bset.name] = {
                        "failures": [{"question": r.question, "expected": r.expected[:3], "answer": r.answer,
                                      "abstained": r.abstained, "quote": r.quotes[0]["text"] if r.quotes else ""}
                                     for r in run.failures()][:100],
                        "on_topic_answered": [{"question": r.question, "doc": items[i].doc_id, "answer": r.answer,
                                               "quote": r.quotes[0]["text"] if r.quotes else ""}
                                              for i, r in enumerate(on_topic.results) if not r.abstained][:100],
                        "replies": replies,
                        # Confidence and whether a claim would be right (a variant's never is), for the curves.
                        "confidence": [[r.confidence, bool(r.answerable and r.supports[:1] == [True]), r.answerable]
                                       for r in run.results + on_topic.results if r.confidence is not None]}
                else:   # peers never abstain: every variant is answered, wrongly
                    metrics["on_topic_abstain"] = 0.0 if items else float("nan")
                    metrics["variants_confident"] = 1.0 if items else float("nan")
                    rights = [r.right for r in run.results] + [False] * len(on_topic.results)
                    metrics["reply_accuracy"] = sum(rights) / len(rights) if rights else float("nan")
                result.rows.append(Row(bset.name, name, int(metrics["questions"]), metrics))
            self.log(f"{bset.name}: " + ", ".join(
                f"{k}={_fmt(result.rows[-len(runs)].metrics.get(k))}" for k, _ in COLUMNS))
        return result


SETS = ("seed", "xquad", "multirc", "qed")


def default_sets(data_dir: Path, names: tuple[str, ...] = SETS, split: str = "test") -> list[BenchmarkSet]:
    """The shared sets (test articles only) and the seed gold set over the seed articles."""
    from ..ingest.document_builder import build_document
    from ..ingest.readers import read_file
    from ..service import file_doc_id
    from ..settings import PROJECT_ROOT, get_settings
    from .datasets import load_dev_articles, load_gold_articles, load_squad_articles, split_of

    def pick(articles):
        return [a for a in articles if split == "all" or split_of(a.id) == split]

    out = []
    for name in names:
        if name == "seed":
            seeds = sorted(p for p in get_settings().seeds_dir.glob("*.txt"))
            docs = []
            for path in seeds:
                text, fmt = read_file(path)
                docs.append(build_document(text, file_doc_id(path), fmt=fmt))
            out.append(BenchmarkSet("seed gold", load_gold_articles(PROJECT_ROOT / "gold" / "seed.jsonl", docs),
                                    "gold/seed.jsonl over seeds/ (written with the first version; never trained on)."))
        elif name == "xquad":
            out.append(BenchmarkSet("XQuAD", pick(load_squad_articles(data_dir / "xquad.en.json")),
                                    f"xquad.en.json, {split} articles in one index."))
        elif name == "multirc":
            out.append(BenchmarkSet("MultiRC other", pick(load_dev_articles(data_dir / "dev" / "multirc_dev_other.jsonl")),
                                    f"dev/multirc_dev_other.jsonl, {split} articles in one index; answers are "
                                    "written options, so only sentence figures apply."))
        elif name == "qed":
            out.append(BenchmarkSet("QED", pick(load_dev_articles(data_dir / "dev" / "qed_dev.jsonl")),
                                    f"dev/qed_dev.jsonl, {split} passages all in one index."))
        else:
            raise ValueError(f"unknown set {name!r}; choose from {', '.join(SETS)}")
    return out

"""The quality benchmark's machinery on small sets of its own (the real assistant, real Chroma)."""
import json

import pytest

from assistant import Assistant
from assistant.evaluation.benchmark import BenchmarkSet, QualityBenchmark, variant_items
from assistant.evaluation.datasets import load_dev_articles, split_of

ARTICLES = [
    {"article_id": "lake", "title": "The lake", "sentences": [
        "The lake lies in a valley north of the town.", "It was formed by a glacier 12,000 years ago.",
        "Fishing boats have used it since the Middle Ages.", "The town council bought it in 1901."],
     "questions": [{"id": "q1", "question": "When did the town council buy the lake?", "answers": ["1901"],
                    "answer_type": "span", "gold_sentence_idxs": [3], "answerable": True},
                   {"id": "q2", "question": "What formed the lake?", "answers": ["a glacier"],
                    "answer_type": "span", "gold_sentence_idxs": [1], "answerable": True},
                   {"id": "q3", "question": "Who wrote the song?", "answers": [], "answer_type": "span",
                    "gold_sentence_idxs": [], "answerable": False}]},
    {"article_id": "mill", "title": "The mill", "sentences": [
        "The mill was built by Anna Berg in 1850.", "It ground wheat for three villages.",
        "A fire destroyed its roof in 1923."],
     "questions": [{"id": "q4", "question": "Who built the mill?", "answers": ["Anna Berg"], "answer_type": "mc",
                    "gold_sentence_idxs": [0], "answerable": True}]},
]


def write_set(tmp_path):
    path = tmp_path / "set.jsonl"
    rows = [{**a, "source": "test", "domain": "test", "context": " ".join(a["sentences"])} for a in ARTICLES]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_dev_format_and_variants(tmp_path):
    articles = load_dev_articles(write_set(tmp_path))
    assert [len(a.items) for a in articles] == [2, 1]          # a question without gold sentences is left out
    assert articles[1].items[0].answer_type == "mc"
    doc = articles[0].without_evidence(articles[0].items[0])
    assert "1901" not in doc.text and "glacier" in doc.text
    documents, items = variant_items(BenchmarkSet("t", articles), limit=10)
    assert len(items) == 3 and all(i.kind == "unanswerable" for i in items)
    assert {split_of(a.id) for a in articles} <= {"tune", "test"}


def test_benchmark_runs_every_system_and_the_variants(tmp_path):
    articles = load_dev_articles(write_set(tmp_path))
    result = QualityBenchmark([BenchmarkSet("tiny", articles)], peers=("bm25",), variant_limit=3,
                              log=lambda _: None).run(lambda path: Assistant(index_dir=path))
    rows = {r.system: r for r in result.rows}
    assert set(rows) == {"assistant", "bm25"} and rows["assistant"].questions == 3
    m = rows["assistant"].metrics
    assert m["quote_fidelity"] == 1.0 and 0.0 <= m["on_topic_abstain"] <= 1.0
    assert m["f1"] == m["f1"]    # two span questions: F1 is defined (the "mc" one is left out)
    assert rows["bm25"].metrics["on_topic_abstain"] == 0.0
    replies = result.details["tiny"]["replies"]    # every question and variant, for the paired rule
    assert len(replies) == 3 + 3 and sum(k.startswith("variant/") for k in replies) == 3
    assert m["reply_accuracy"] == pytest.approx(sum(replies.values()) / 6)
    assert rows["bm25"].metrics["variants_confident"] == 1.0
    result.save(tmp_path / "quality")
    table = (tmp_path / "quality.md").read_text()
    assert "| tiny | assistant | 3 |" in table and (tmp_path / "quality.png").stat().st_size > 1000
    assert json.loads((tmp_path / "quality.json").read_text())["details"]["tiny"]["replies"] == replies
    assert (tmp_path / "quality_confidence.png").stat().st_size > 1000
    assert all(0 <= c <= 1 for c, _, _ in result.details["tiny"]["confidence"])


def test_eval_cli_reads_the_dev_format(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    out = tmp_path / "r.json"
    r = subprocess.run([sys.executable, "-m", "assistant", "eval", "--dataset", str(write_set(tmp_path)),
                        "--split", "all", "--json", str(out), "--baseline", "bm25"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    overall = json.loads(out.read_text())["systems"][0]["overall"]
    assert overall["questions"] == 3 and overall["quote_fidelity"] == 1.0
    (tmp_path / "bad.jsonl").write_text("{oops\n")
    r = subprocess.run([sys.executable, "-m", "assistant", "eval", "--dataset", str(tmp_path / "bad.jsonl")],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "line 1" in r.stderr

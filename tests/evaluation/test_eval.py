import json
import subprocess
import sys

import pytest

from assistant.evaluation.evaluator import GoldSetEvaluator
from assistant.evaluation.gold import GoldFormatError, load_gold
from assistant.schema import Answer, AnswerKind, Document, Quote
from conftest import ROOT, SEED

DOC = "Alpha met Beta. The ship has six guns. Gamma left."


class FakeSystem:
    """Answers from a script; the third quote is not verbatim on purpose."""

    def __init__(self):
        self.doc = Document("d", DOC, "T")

    def document(self, doc_id):
        return self.doc

    def answer(self, question, history=None, doc_ids=None):
        if "guns" in question:
            return Answer(question, "six", [Quote("The ship has six guns.", "d", "T", 16, 38)])
        if "met" in question:
            return Answer(question, "Gamma", [Quote("Gamma left.", "d", "T", 39, 50),
                                              Quote("Alpha met Beta.", "d", "T", 0, 15),
                                              Quote("Alpha met Bob.", "d", "T", 0, 14)])
        if "he" in question.split() and history:
            return Answer(question, "left", [Quote("Gamma left.", "d", "T", 39, 50)])
        return Answer(question, "", [], abstained=True)


def _gold(tmp_path, lines):
    p = tmp_path / "g.jsonl"
    p.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    return p


def test_metrics_on_hand_computed_fixture(tmp_path):
    gold = load_gold(_gold(tmp_path, [
        {"id": "1", "kind": "factual", "question": "How many guns?", "answers": ["six"], "evidence": ["six guns"]},
        {"id": "2", "kind": "factual", "question": "Who met Alpha?", "answers": ["Beta"], "evidence": ["Alpha met Beta"]},
        {"id": "3", "kind": "unanswerable", "question": "Why?", "answers": [], "evidence": []},
        {"id": "4", "kind": "conversation", "turns": [
            {"question": "What about guns?", "answers": ["six"], "evidence": ["six guns"]},
            {"question": "Did he go?", "answers": ["left"], "evidence": ["Gamma left"]}]}]))
    m = GoldSetEvaluator(gold).run(FakeSystem()).overall
    assert m["questions"] == 5
    assert m["hit@1"] == 0.75               # 3 of 4 answerable turns have a supporting first quote
    assert m["hit@k"] == 1.0
    assert m["mrr"] == pytest.approx((1 + 0.5 + 1 + 1) / 4)
    assert m["quote_precision"] == pytest.approx((1 + 1 / 3 + 1 + 1) / 4)
    assert m["answer_contains"] == 0.75     # "Gamma" is not "Beta"
    assert m["abstain_unanswerable"] == 1.0 and m["false_abstain"] == 0.0
    assert m["follow_up_hit@1"] == 1.0
    assert m["quote_fidelity"] == pytest.approx(5 / 6)   # "Alpha met Bob." is not in the document
    # The paired rule's figures: the unanswerable one is right by abstaining; every answerable
    # turn is answered with confidence, one of the four with a first quote that is not the gold.
    assert m["reply_accuracy"] == pytest.approx(4 / 5)
    assert m["coverage"] == 1.0 and m["confident_error"] == 0.25
    assert m["hard_false_abstain"] == 0.0 and m["confident_unanswerable"] == 0.0
    assert m["closest_hit"] != m["closest_hit"]        # no "not sure" replies: undefined


@pytest.mark.parametrize("line,message", [
    ("{not json", "line 1: invalid JSON"),
    ('{"id": "x", "kind": "factual", "question": "q", "answers": ["a"]}', "missing field 'evidence'"),
    ('{"id": "x", "kind": "riddle", "question": "q", "answers": [], "evidence": []}', "unknown kind"),
])
def test_bad_gold_lines(tmp_path, line, message):
    p = tmp_path / "g.jsonl"
    p.write_text(line + "\n")
    with pytest.raises(GoldFormatError, match=message):
        load_gold(p)


def test_empty_gold(tmp_path):
    p = tmp_path / "g.jsonl"
    p.write_text("")
    with pytest.raises(GoldFormatError, match="empty"):
        load_gold(p)


def test_seed_gold_set_shape():
    items = load_gold(ROOT / "gold" / "seed.jsonl")
    kinds = [i.kind for i in items]
    assert kinds.count("factual") + kinds.count("adversarial") >= 40
    assert kinds.count("unanswerable") >= 8 and kinds.count("conversation") >= 5


def test_eval_cli_end_to_end(tmp_path):
    gold = _gold(tmp_path, [
        {"id": "f1", "kind": "factual", "question": "How many Aegis destroyers does Japan have?",
         "answers": ["six"], "evidence": ["six Aegis destroyers"]},
        {"id": "u1", "kind": "unanswerable", "question": "What is the population of Seoul?", "answers": [], "evidence": []}])
    out = tmp_path / "r.json"
    cmd = [sys.executable, "-m", "assistant", "eval", str(gold), "--documents", str(SEED), "--json", str(out),
           "--markdown", str(tmp_path / "r.md"), "--plot", str(tmp_path / "r.png"), "--baseline", "bm25,dense,chunks",
           "--min", "hit@1=0.9"]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    report = json.loads(out.read_text())
    assert [s["name"] for s in report["systems"]] == ["assistant", "bm25", "dense", "chunks"]
    assert report["systems"][0]["overall"]["hit@1"] == 1.0
    assert (tmp_path / "r.png").stat().st_size > 1000 and "| hit@1 |" in (tmp_path / "r.md").read_text()
    r = subprocess.run(cmd[:-1] + ["hit@1=1.1"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 1 and "threshold missed" in r.stderr
    (tmp_path / "bad.jsonl").write_text("{oops\n")
    r = subprocess.run([sys.executable, "-m", "assistant", "eval", str(tmp_path / "bad.jsonl")],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "line 1" in r.stderr


def test_f1_of_answers_claimed_leaves_out_not_sure_replies():
    from assistant.evaluation.evaluator import TurnResult, summarise

    def turn(answer: str, kind: AnswerKind) -> TurnResult:
        return TurnResult(item_id="i", kind="factual", turn=0, question="Who?", expected=["Jane Doe"],
                          evidence=["Jane Doe spoke."], answer=answer, abstained=kind != AnswerKind.FACT,
                          quotes=[{"text": "Jane Doe spoke."}], latency_ms=1.0, supports=[True],
                          answer_kind=kind)

    figures = summarise([turn("Jane Doe", AnswerKind.FACT), turn("", AnswerKind.UNCERTAIN)])
    assert figures["f1"] == 0.5 and figures["f1_claimed"] == 1.0 and figures["coverage"] == 0.5

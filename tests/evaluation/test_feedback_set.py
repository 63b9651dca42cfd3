"""A feedback file as a gold set: context turns, what changed since each verdict, the export."""
import json
import subprocess
import sys

import pytest

from assistant.evaluation.evaluator import GoldSetEvaluator
from assistant.evaluation.feedback import changes, changes_markdown, export, is_feedback_file, load_feedback
from assistant.evaluation.gold import GoldFormatError, load_gold
from assistant.feedback.log import FeedbackLog
from assistant.feedback.record import NOT_IN_ARTICLE, Evidence, feedback_record
from assistant.schema import Answer, Document, Quote
from conftest import ROOT

DOC = "Alpha met Beta. The ship has six guns. Gamma left."
GUNS = Quote("The ship has six guns.", "d", "T", 16, 38)
GAMMA = Quote("Gamma left.", "d", "T", 39, 50)


class Scripted:
    """Answers from a table: question -> Answer; records the histories it was given."""

    def __init__(self, replies):
        self.replies, self.histories = replies, []
        self.doc = Document("d", DOC, "T")

    def document(self, doc_id):
        return self.doc

    def answer(self, question, history=None, doc_ids=None):
        self.histories.append(list(history or []))
        return self.replies.get(question) or Answer(question, "", abstained=True)


def write(path, records):
    log = FeedbackLog(path)
    for r in records:
        log.append(r)
    return path


def test_context_turns_build_the_conversation_and_are_not_scored(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps({"id": "c", "kind": "conversation", "turns": [
        {"question": "What about guns?", "context": True},
        {"question": "Why did he go?", "kind": "unanswerable", "answers": [], "evidence": []}]}) + "\n")
    system = Scripted({"What about guns?": Answer("What about guns?", "six", [GUNS])})
    run = GoldSetEvaluator(load_gold(path)).run(system, warm_up=False)
    assert [r.question for r in run.results] == ["Why did he go?"] and run.results[0].right
    assert system.histories[1][0]["content"] == "What about guns?" and system.histories[1][1]["quotes"]
    for bad, why in [({"question": "x", "kind": "unanswerable", "answers": ["a"], "evidence": []}, "must have empty"),
                     ({"question": "x", "kind": "nonsense"}, "a turn's kind must be")]:
        path.write_text(json.dumps({"id": "c", "kind": "conversation", "turns": [{"question": "y", "context": True}, bad]}))
        with pytest.raises(GoldFormatError, match=why):
            load_gold(path)
    path.write_text(json.dumps({"id": "c", "kind": "conversation", "turns": [{"question": "y", "context": True}] * 2}))
    with pytest.raises(GoldFormatError, match="not 'context'"):
        load_gold(path)


def test_marks_since_each_verdict(tmp_path):
    wrong = Answer("How many guns?", "Gamma", [GAMMA])
    liked = Answer("Who left?", "Gamma", [GAMMA])
    gone = Answer("Who met Alpha?", "Beta", [Quote("Alpha met Beta.", "d", "T", 0, 15)])
    path = write(tmp_path / "feedback.jsonl", [
        feedback_record(wrong, "down", evidence=Evidence("d", 16, 38, GUNS.text), answer_text="six"),
        feedback_record(liked, "up"),
        feedback_record(gone, "up"),
        feedback_record(Answer("Why?", "Gamma", [GAMMA]), "down"),          # nothing marked
    ])
    with open(path, "a") as f:
        f.write("not json\n")
    assert is_feedback_file(path)
    feedback = load_feedback(path)
    assert len(feedback.items) == 3 and feedback.unlabelled == 1 and len(feedback.problems) == 1
    now = {"How many guns?": Answer("How many guns?", "six", [GUNS]), "Who left?": Answer("Who left?", "Gamma", [GAMMA])}
    run = GoldSetEvaluator(feedback.items).run(Scripted(now), warm_up=False)
    found = {c.question: c for c in changes(feedback, run)}
    assert found["How many guns?"].mark == "fixed" and found["How many guns?"].right_now
    assert found["Who left?"].mark == "" and not found["Who left?"].different
    assert found["Who met Alpha?"].mark == "regression" and not found["Who met Alpha?"].right_now
    text = changes_markdown(feedback, list(found.values()))
    assert "**1 regression(s)**" in text and "**1 fixed**" in text and "1 thumbs down with nothing marked" in text


def test_a_file_of_only_unmarked_thumbs_down_has_nothing_to_score(tmp_path):
    path = write(tmp_path / "feedback.jsonl", [feedback_record(Answer("Why?", "x", [GAMMA]), "down")])
    with pytest.raises(GoldFormatError, match="no feedback to score"):
        load_feedback(path)
    plain = tmp_path / "gold.jsonl"
    plain.write_text(json.dumps({"id": "1", "kind": "unanswerable", "question": "q", "answers": [], "evidence": []}))
    assert not is_feedback_file(plain)


def test_export_writes_one_item_per_question_and_reports_conflicts(tmp_path):
    guns = Evidence("d", 16, 38, GUNS.text)
    records = [
        # two people agree on the guns question (one marks it, one likes a reply quoting it)
        feedback_record(Answer("How many guns?", "", abstained=True), "down", evidence=guns, answer_text="six"),
        feedback_record(Answer("how many  GUNS?", "six", [GUNS]), "up"),
        # one says "not in the article", another marks a sentence: a conflict
        feedback_record(Answer("Who left?", "Gamma", [GAMMA]), "down", evidence=NOT_IN_ARTICLE),
        feedback_record(Answer("Who left?", "", abstained=True), "down", evidence=Evidence("d", 39, 50, GAMMA.text)),
        # a thumbs up on a reply another person marked down: a conflict
        feedback_record(Answer("Who met Alpha?", "Gamma", [GAMMA]), "up"),
        feedback_record(Answer("Who met Alpha?", "Gamma", [GAMMA]), "down"),
        # one verdict only
        feedback_record(Answer("Why?", "", abstained=True), "up"),
    ]
    path = write(tmp_path / "feedback.jsonl", records)
    items, notes = export(path, min_verdicts=2)
    assert [(i["question"], i["answers"], i["evidence"], i["verdicts"]) for i in items] == [
        ("How many guns?", ["six"], [GUNS.text], 2)]
    assert any(n.startswith("conflicting marks for 'Who left?'") for n in notes)
    assert any(n.startswith("conflicting marks for 'Who met Alpha?'") and "1 thumbs down on that reply" in n
               for n in notes)
    assert any("'Why?': 1 verdict(s), fewer than 2" in n for n in notes)
    items, _ = export(path, min_verdicts=1)
    assert sorted(i["question"] for i in items) == ["How many guns?", "Why?"]

    # the CLI writes the same, and the file is a gold set `assistant eval` reads
    out = tmp_path / "gold.jsonl"
    r = subprocess.run([sys.executable, "-m", "assistant", "feedback", "export", str(out), "--file", str(path),
                        "--min-verdicts", "2"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "1 item(s) written" in r.stdout and "note: conflicting marks for 'Who left?'" in r.stderr
    assert [i.question for i in load_gold(out)] == ["How many guns?"]
    r = subprocess.run([sys.executable, "-m", "assistant", "feedback", "export", str(out), "--file",
                        str(tmp_path / "none.jsonl")], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and r.stderr.strip() == f"error: no feedback file at {tmp_path / 'none.jsonl'}"


def test_what_people_typed_is_escaped_in_the_report():
    from assistant.evaluation.feedback import Change, FeedbackSet

    typed = Change("fb-1", "<img src=x onerror=alert(1)> **why**", "down", False, True, "fact: x", "abstained: ")
    text = changes_markdown(FeedbackSet("f.jsonl", [], {}), [typed])
    assert "&lt;img src=x onerror=alert(1)&gt; \\*\\*why\\*\\*" in text and "<img" not in text

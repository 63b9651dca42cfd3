"""The requests taken from the chips as a phrasing set: one item per question, conflicts left out,
through the CLI, scored by `benchmarks/intents.py --set`."""
import json
import subprocess
import sys

from assistant.evaluation.requests import export_requests
from assistant.feedback.log import RequestLog
from assistant.feedback.request import request_record
from assistant.schema import Answer
from conftest import ROOT


def taken(log, question, label):
    log.append(request_record(Answer(question, "", abstained=True), label))


def test_export_keeps_questions_people_agree_on(tmp_path):
    log = RequestLog(tmp_path / "feedback.requests.jsonl")
    taken(log, "who did this", "about:author")
    taken(log, "Who  did THIS", "about:author")
    taken(log, "what's the deal", "summary")
    taken(log, "what's the deal", "more")
    taken(log, "the lowdown?", "summary")
    items, notes = export_requests(log.path, min_count=2)
    assert items == [{"question": "who did this", "kind": "about", "field": "author", "count": 2}]
    assert """"what's the deal": 1 took summary; 1 took more, left out""" in notes
    assert "'the lowdown?': taken 1 time(s), fewer than 2, left out" in notes
    items, _ = export_requests(log.path)
    assert [i["question"] for i in items] == ["who did this", "the lowdown?"]


def test_the_cli_writes_a_set_the_intent_benchmark_scores(tmp_path):
    log = RequestLog(tmp_path / "feedback.requests.jsonl")
    taken(log, "Summarise the article", "summary")
    taken(log, "Who wrote the article?", "about:author")
    out = tmp_path / "from_chat.jsonl"
    r = subprocess.run([sys.executable, "-m", "assistant", "feedback", "requests", str(out), "--file", str(log.path)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "2 item(s) written" in r.stdout
    assert [json.loads(line)["kind"] for line in out.read_text().splitlines()] == ["summary", "about"]
    r = subprocess.run([sys.executable, "benchmarks/intents.py", "--data", str(tmp_path / "none"), "--set", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "from_chat.jsonl (2), detector:\n  about     n=  1  recall 1.000  precision 1.000\n" \
           "  summary   n=  1  recall 1.000  precision 1.000\n" in r.stdout

    r = subprocess.run([sys.executable, "-m", "assistant", "feedback", "requests", str(out), "--file",
                        str(tmp_path / "none.jsonl")], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and r.stderr.strip() == f"error: no requests file at {tmp_path / 'none.jsonl'}"
    (tmp_path / "junk.jsonl").write_text("[1]\n")
    r = subprocess.run([sys.executable, "-m", "assistant", "feedback", "requests", str(out), "--file",
                        str(tmp_path / "junk.jsonl")], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and r.stderr.strip() == "error: junk.jsonl: no requests taken (1 unreadable line(s))"

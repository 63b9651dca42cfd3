"""The feedback file: whole records under many writers, one verdict per reply, bad lines reported."""
import json
import multiprocessing
import os
import threading

import pytest

from assistant.errors import FeedbackError
from assistant.feedback.log import FeedbackLog


def record(n, **extra):
    return {"id": f"fb-{n}", "kind": "unanswerable", "question": f"q{n}", "answers": [], "evidence": [],
            "verdict": "up", **extra}


def test_records_are_appended_whole_and_a_reply_is_rated_once(tmp_path):
    log = FeedbackLog(tmp_path / "sub" / "feedback.jsonl")
    log.append(record(1))
    log.append(record(2, question="naïve “quotes”"))
    with pytest.raises(FeedbackError, match="already saved"):
        log.append(record(1))
    # a second process's log (a new object) sees the ids already written
    with pytest.raises(FeedbackError, match="already saved"):
        FeedbackLog(log.path).append(record(2))
    records, problems = log.read()
    assert [r["id"] for _, r in records] == ["fb-1", "fb-2"] and problems == []
    assert records[1][1]["question"] == "naïve “quotes”"
    assert oct(os.stat(log.path).st_mode & 0o777) == "0o600"   # it holds what people typed


def test_a_bad_line_is_reported_and_a_cut_line_does_not_spoil_the_next_record(tmp_path):
    path = tmp_path / "feedback.jsonl"
    path.write_text(json.dumps(record(1)) + "\n" + "[1, 2]\n" + '{"id": "fb-9", "verdict": "up", "kind"', encoding="utf-8")
    log = FeedbackLog(path)
    log.append(record(2))
    records, problems = log.read()
    assert [r["id"] for _, r in records] == ["fb-1", "fb-2"]
    assert problems == ["feedback.jsonl line 2: not a feedback record (no id or verdict), skipped",
                        "feedback.jsonl line 3: not a JSON record, skipped"]


def test_a_record_over_the_cap_is_refused_and_nothing_written(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl", max_bytes=1000)
    with pytest.raises(FeedbackError, match="at most 1,000"):
        log.append(record(1, question="x" * 2000))
    assert not log.path.exists()


def test_an_unwritable_place_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(FeedbackError, match="cannot write the feedback file"):
        FeedbackLog(tmp_path / "file" / "feedback.jsonl").append(record(1))


def test_fifty_records_from_ten_threads_are_all_whole(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    big = "y" * 20_000      # large records: a torn write would show

    def post(t):
        for i in range(5):
            log.append(record(f"{t}-{i}", question=big))

    threads = [threading.Thread(target=post, args=(t,)) for t in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records, problems = log.read()
    assert problems == [] and len({r["id"] for _, r in records}) == 50


def _write_many(path, worker):
    log = FeedbackLog(path)
    for i in range(25):
        log.append(record(f"{worker}-{i}", question="z" * 30_000))


def test_records_from_four_processes_are_all_whole(tmp_path):
    path = tmp_path / "feedback.jsonl"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(path, w)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0] * 4
    records, problems = FeedbackLog(path).read()
    assert problems == [] and len({r["id"] for _, r in records}) == 100


def test_lines_that_break_the_json_reader_are_skipped(tmp_path):
    path = tmp_path / "feedback.jsonl"
    path.write_text("[" * 100_000 + "\n" + '{"n": ' + "9" * 5000 + "}\n", encoding="utf-8")
    log = FeedbackLog(path)
    log.append(record(1))
    records, problems = log.read()
    assert [r["id"] for _, r in records] == ["fb-1"] and len(problems) == 2

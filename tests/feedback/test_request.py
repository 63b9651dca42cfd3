"""A request taken from the chips or named in the 👎 panel, as a record: the phrasing-set format,
the classifier's labels, its own file whose bad lines are reported."""
import json

import pytest

from assistant.errors import FeedbackError
from assistant.feedback.log import RequestLog
from assistant.feedback.request import REQUEST_LABELS, record_label, request_record
from assistant.routing.registry import CLASSIFIER
from assistant.schema import Answer
from assistant.text.en import MEANT


def test_a_record_is_a_phrasing_with_the_reply_and_the_questions_before():
    answer = Answer("who did this", "", abstained=True)
    history = [{"role": "user", "content": "What happened?"}, {"role": "assistant", "content": "A pact."}]
    record = request_record(answer, "about:author", history=history, index_version="v1")
    assert record["id"] == f"rq-{answer.id}"
    assert (record["question"], record["kind"], record["field"]) == ("who did this", "about", "author")
    assert record["context"] == ["What happened?"] and record["reply_kind"] == "abstained"
    assert record_label(record) == "about:author"
    assert "field" not in request_record(Answer("the gist?", "", abstained=True), "summary")


def test_an_unknown_request_or_source_is_refused():
    with pytest.raises(FeedbackError, match="unknown request 'fact'"):
        request_record(Answer("q", "", abstained=True), "fact")
    with pytest.raises(FeedbackError, match="unknown request 'about'"):
        request_record(Answer("q", "", abstained=True), "about")
    with pytest.raises(FeedbackError, match="unknown request source 'chip'; one of: offer, correction"):
        request_record(Answer("q", "", abstained=True), "summary", source="chip")
    assert request_record(Answer("q", "", abstained=True), "summary", source="correction")["source"] == "correction"


def test_the_labels_are_the_classifiers_requests_each_named_for_the_panel():
    assert set(REQUEST_LABELS) == set(CLASSIFIER.labels) - {"fact"}
    assert set(MEANT) == set(REQUEST_LABELS) and len(set(MEANT.values())) == len(MEANT)


def test_the_log_keeps_one_request_per_reply_and_reports_other_lines(tmp_path):
    log = RequestLog(tmp_path / "feedback.requests.jsonl")
    answer = Answer("the gist?", "", abstained=True)
    log.append(request_record(answer, "summary"))
    with pytest.raises(FeedbackError, match="a request was already kept for this reply"):
        log.append(request_record(answer, "summary"))
    with open(log.path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "rq-2", "question": "q", "kind": "fact"}) + "\n" + "{cut\n")
    records, problems = log.read()
    assert [r["question"] for _, r in records] == ["the gist?"]
    assert problems == ["feedback.requests.jsonl line 2: not a request record (no id, question or request kind), skipped",
                        "feedback.requests.jsonl line 3: not a JSON record, skipped"]

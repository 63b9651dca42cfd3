"""`Assistant.record_feedback` on the real index: the passage marked is checked against the
stored documents, the record lands in feedback.jsonl (or where the setting says)."""
import json

import pytest

from assistant import Assistant
from assistant.errors import FeedbackError
from assistant.schema import Answer, Quote
from assistant.settings import get_settings
from conftest import ROOT, SEED

FERRY = ROOT / "tests" / "articles" / "ferry_strike.txt"
DIRECTOR = "Halifax Transit director Leila Haddad said the authority would hire 25 more crew members this year so that the new schedule can be staffed."


@pytest.fixture(scope="module")
def bot(tmp_path_factory, seed_bot):
    bot = Assistant(index_dir=tmp_path_factory.mktemp("index"), reader=seed_bot.reader, ranker=seed_bot.ranker)
    bot.add_file(SEED, doc_id="seed")
    bot.add_file(FERRY)
    return bot


def lines(bot):
    return [json.loads(line) for line in bot.feedback.path.read_text(encoding="utf-8").splitlines()]


def test_the_right_sentence_by_its_text_or_its_offsets(bot):
    assert bot.feedback.path == bot.index_dir / "feedback.jsonl"
    answer = bot.answer("Who is the Halifax Transit director?", doc_ids=["seed"])
    assert answer.abstained
    record = bot.record_feedback(answer, "down", DIRECTOR, "Leila Haddad")
    start = bot.document("ferry_strike").text.index(DIRECTOR)
    assert record["evidence_span"] == {"doc_id": "ferry_strike", "start": start, "end": start + len(DIRECTOR)}
    assert record["doc_id"] == "ferry_strike" and record["evidence"] == [DIRECTOR]
    assert record["index_version"] == bot.index_version() and len(record["index_version"]) == 16
    assert lines(bot)[-1] == record

    other = bot.answer("Who is the Halifax Transit director?", doc_ids=["seed"])
    by_offsets = bot.record_feedback(other, "down", {"doc_id": "ferry_strike", "start": start, "end": start + len(DIRECTOR)})
    assert by_offsets["evidence"] == [DIRECTOR] and by_offsets["answer_type"] == "sentence"
    with pytest.raises(FeedbackError, match="already saved"):
        bot.record_feedback(other, "up")
    assert len(lines(bot)) == 2


def test_what_is_not_in_the_documents_is_refused_and_nothing_written(bot):
    before = bot.feedback.path.read_bytes() if bot.feedback.path.exists() else b""
    answer = bot.answer("How much did traffic delays cost local businesses?")
    assert answer.text == "$2.4 million"
    forged = Answer.from_dict({**answer.to_dict(), "quotes": [{**answer.quotes[0].to_dict(), "text": "Made up."}]})
    cases = [
        (lambda: bot.record_feedback(forged, "up"), "the reply's quotes are not passages"),
        (lambda: bot.record_feedback(answer, "down", "A sentence nobody wrote."), "not a passage of any stored document"),
        (lambda: bot.record_feedback(answer, "down", {"doc_id": "ferry_strike", "start": 5, "end": 10**6}), "are not a passage"),
        (lambda: bot.record_feedback(answer, "down", {"doc_id": "nope", "start": 0, "end": 5}), "no document 'nope'"),
        (lambda: bot.record_feedback(answer, "down", {"start": 0}), "must have doc_id, start and end"),
        (lambda: bot.record_feedback(answer, "down", Quote("Wrong text", "seed", "", 0, 10)), "not what the document holds"),
        (lambda: bot.record_feedback(answer, "sideways"), "verdict must be"),
        (lambda: bot.record_feedback(answer.to_dict(), "up"), "feedback is on an Answer"),
        (lambda: bot.record_feedback(answer, "up", history="not a list"), "history"),
    ]
    for call, message in cases:
        with pytest.raises(Exception, match=message):
            call()
    assert (bot.feedback.path.read_bytes() if bot.feedback.path.exists() else b"") == before
    # the genuine reply round-trips through its dict (as a client sends it back)
    record = bot.record_feedback(Answer.from_dict(answer.to_dict()), "up")
    assert record["reply"]["id"] == answer.id and record["answers"] == ["$2.4 million"]


def test_the_feedback_file_setting_and_its_cap(tmp_path, seed_bot):
    place = tmp_path / "elsewhere" / "votes.jsonl"
    bot = Assistant(index_dir=tmp_path / "index", settings=get_settings(feedback_file=place, feedback_max_bytes=1000),
                    reader=seed_bot.reader, ranker=seed_bot.ranker)
    bot.add_file(FERRY)
    answer = bot.answer("Who is the Halifax Transit director?")
    with pytest.raises(FeedbackError, match="at most 1,000"):
        bot.record_feedback(answer, "up", history=[{"role": "user", "content": "x" * 900}])
    bot.record_feedback(answer, "up")
    assert [json.loads(line)["verdict"] for line in place.read_text().splitlines()] == ["up"]
    assert not (tmp_path / "index" / "feedback.jsonl").exists()

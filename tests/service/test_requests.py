"""`Assistant.offered` and `record_request` on the real index and classifier: the request offered
under an unsure reply is kept with the question, once per reply, in feedback.requests.jsonl."""
import json

import pytest

from assistant import Assistant
from assistant.errors import FeedbackError
from assistant.settings import get_settings
from conftest import SEED

UNSURE = "who did this"     # the classifier is unsure: the article's author is offered


@pytest.fixture(scope="module")
def bot(tmp_path_factory, seed_bot):
    bot = Assistant(index_dir=tmp_path_factory.mktemp("index"), reader=seed_bot.reader, ranker=seed_bot.ranker)
    bot.add_file(SEED, doc_id="seed")
    return bot


def lines(bot):
    if not bot.requests.path.exists():
        return []
    return [json.loads(line) for line in bot.requests.path.read_text(encoding="utf-8").splitlines()]


def test_the_offered_request_is_kept_once(bot):
    assert bot.requests.path == bot.index_dir / "feedback.requests.jsonl"
    answer = bot.answer(UNSURE)
    offer = bot.offered(answer)
    assert offer is not None and offer.label == "about:author" and offer.text == bot.suggest(answer)[0]
    record = bot.record_request(answer, history=[{"role": "user", "content": "What is the pact?"}])
    assert (record["question"], record["kind"], record["field"], record["context"]) == (UNSURE, "about", "author",
                                                                                       ["What is the pact?"])
    assert record["index_version"] == bot.index_version() and lines(bot) == [record]
    with pytest.raises(FeedbackError, match="a request was already kept for this reply"):
        bot.record_request(answer)
    assert len(lines(bot)) == 1


def test_a_reply_with_nothing_offered_needs_the_request_named(bot):
    answer = bot.answer("What did the ministry announce?")
    assert bot.offered(answer) is None
    before = len(lines(bot)) if bot.requests.path.exists() else 0
    with pytest.raises(FeedbackError, match="no request was offered"):
        bot.record_request(answer)
    with pytest.raises(FeedbackError, match="unknown request 'sumary'"):
        bot.record_request(answer, "sumary")
    with pytest.raises(FeedbackError, match="not for str"):
        bot.record_request("What did the ministry announce?", "summary")
    assert (len(lines(bot)) if bot.requests.path.exists() else 0) == before
    assert bot.record_request(answer, "summary")["kind"] == "summary"


def test_a_request_read_as_a_fact_with_confidence_is_named_as_a_correction(bot):
    """Nothing is offered under a request the classifier took for a fact question; the person
    names it in the 👎 panel, and it is kept like a chip taken, marked as a correction."""
    answer = bot.answer("What did the ministry announce?")
    assert bot.offered(answer) is None
    assert bot.request_as_question(answer, "about:author") == "Who wrote the article?"
    assert bot.request_as_question(answer, "mentions") == "Is ministry mentioned?"
    assert bot.request_as_question(bot.answer("who did this"), "mentions") is None
    with pytest.raises(FeedbackError, match="unknown request 'author'"):
        bot.request_as_question(answer, "author")
    with pytest.raises(FeedbackError, match="not for str"):
        bot.request_as_question("What did the ministry announce?", "about:author")
    with pytest.raises(FeedbackError, match="unknown request source 'ui'"):
        bot.record_request(answer, "about:author", source="ui")
    record = bot.record_request(answer, "about:author", source="correction")
    assert (record["kind"], record["field"], record["source"]) == ("about", "author", "correction")
    assert lines(bot)[-1] == record


def test_a_correction_keeps_the_thumbs_down_and_the_request_or_neither(bot):
    answer = bot.answer("Which journalist put this piece together?")
    feedback_before = bot.feedback.path.read_text().splitlines() if bot.feedback.path.exists() else []
    requests_before = lines(bot)
    for meant, message in (("writer", "unknown request 'writer'"), (None, "unknown request 'None'")):
        with pytest.raises(FeedbackError, match=message):
            bot.record_correction(answer, meant)
    with pytest.raises(FeedbackError, match="not a passage of any stored document"):
        bot.record_correction(answer, "about:author", "a sentence the article never had")
    assert (bot.feedback.path.read_text().splitlines() if bot.feedback.path.exists() else []) == feedback_before
    assert lines(bot) == requests_before
    verdict, request = bot.record_correction(answer, "about:author", history=[{"role": "user", "content": "hi"}])
    assert verdict["verdict"] == "down" and verdict["question"] == answer.question
    assert (request["id"], request["kind"], request["field"], request["source"], request["context"]) == \
        (f"rq-{answer.id}", "about", "author", "correction", ["hi"])
    assert lines(bot) == requests_before + [request]
    with pytest.raises(FeedbackError, match="feedback on this reply was already saved"):
        bot.record_correction(answer, "about:author")
    assert lines(bot) == requests_before + [request]

    # the chip taken first: the correction of that reply is refused whole, its 👎 not written alone
    taken = bot.answer(UNSURE)
    bot.record_request(taken)
    feedback_before, requests_before = bot.feedback.path.read_text().splitlines(), lines(bot)
    with pytest.raises(FeedbackError, match="a request was already kept for this reply"):
        bot.record_correction(taken, "about:author")
    assert bot.feedback.path.read_text().splitlines() == feedback_before and lines(bot) == requests_before


def test_a_request_answered_as_one_offers_nothing(bot):
    assert bot.offered(bot.answer("Summarise the article")) is None


def test_keeping_requests_can_be_turned_off(tmp_path, seed_bot):
    off = Assistant(index_dir=tmp_path / "index", settings=get_settings(keep_requests=False),
                    reader=seed_bot.reader, ranker=seed_bot.ranker)
    off.add_file(SEED, doc_id="seed")
    with pytest.raises(FeedbackError, match="ASSISTANT_KEEP_REQUESTS=0"):
        off.record_request(off.answer(UNSURE))
    with pytest.raises(FeedbackError, match="ASSISTANT_KEEP_REQUESTS=0"):
        off.record_correction(off.answer(UNSURE), "about:author")
    assert not off.requests.path.exists() and not off.feedback.path.exists()

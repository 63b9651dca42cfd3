"""What a verdict becomes as a gold item: the label a thumbs up confirms, the one a person marks."""
import pytest

from assistant.errors import FeedbackError
from assistant.feedback.record import MAX_ANSWER_TEXT, NOT_IN_ARTICLE, Evidence, feedback_record
from assistant.schema import Answer, AnswerKind, Quote

SENTENCE = "Halifax Transit director Leila Haddad said the authority would hire 25 more crew members."


def fact(question="Who is the director?", text="Leila Haddad"):
    return Answer(question, text, quotes=[Quote(SENTENCE, "ferry", "Ferry", 10, 10 + len(SENTENCE))], confidence=0.9)


def test_a_thumbs_up_confirms_what_the_reply_claimed():
    record = feedback_record(fact(), "up", index_version="v1")
    assert (record["kind"], record["answers"], record["evidence"]) == ("factual", ["Leila Haddad"], [SENTENCE])
    assert record["verdict"] == "up" and record["labelled"] is True and record["id"] == "fb-" + record["reply"]["id"]
    assert record["reply"]["quotes"] == [{"doc_id": "ferry", "start": 10, "end": 10 + len(SENTENCE), "text": SENTENCE}]
    assert record["index_version"] == "v1" and record["time"].endswith("+00:00")
    assert "answer_type" not in record


@pytest.mark.parametrize("kind", [AnswerKind.ABSTAINED, AnswerKind.UNCERTAIN])
def test_a_thumbs_up_on_no_answer_says_the_article_does_not_answer(kind):
    record = feedback_record(Answer("How old is she?", "", kind=kind), "up")
    assert (record["kind"], record["answers"], record["evidence"]) == ("unanswerable", [], [])


def test_a_thumbs_up_on_a_whole_article_reply_keeps_its_kind():
    about = feedback_record(Answer("Who wrote this?", "Maria Okafor", kind=AnswerKind.ABOUT), "up")
    assert (about["kind"], about["answers"]) == ("about", ["Maria Okafor"])
    summary = feedback_record(Answer("Summarise it", "A long summary.", kind=AnswerKind.SUMMARY), "up")
    assert (summary["kind"], summary["answers"], summary["evidence"]) == ("summary", [], [])


def test_a_thumbs_down_with_the_right_sentence_and_a_short_answer():
    marked = Evidence("ferry", 10, 10 + len(SENTENCE), SENTENCE)
    record = feedback_record(Answer("Who is the director?", "", abstained=True), "down", evidence=marked,
                             answer_text="  Leila   Haddad ")
    assert (record["kind"], record["answers"], record["evidence"]) == ("factual", ["Leila Haddad"], [SENTENCE])
    assert record["evidence_span"] == {"doc_id": "ferry", "start": 10, "end": 10 + len(SENTENCE)}
    assert record["answer_text"] == "Leila Haddad"
    # without a short answer, the sentence stands for it and the short-answer metrics leave it out
    alone = feedback_record(Answer("Who is the director?", "", abstained=True), "down", evidence=marked)
    assert alone["answers"] == [SENTENCE] and alone["answer_type"] == "sentence"


def test_a_thumbs_down_saying_the_article_does_not_answer():
    record = feedback_record(fact("How old is she?"), "down", evidence=NOT_IN_ARTICLE)
    assert (record["kind"], record["answers"], record["evidence"], record["labelled"]) == ("unanswerable", [], [], True)


def test_a_thumbs_down_with_nothing_marked_is_kept_but_not_a_label():
    record = feedback_record(fact(), "down")
    assert record["labelled"] is False and record["evidence"] == [] and record["verdict"] == "down"


def test_a_question_asked_after_others_is_a_conversation():
    history = [{"role": "user", "content": "Who is the director?"}, {"role": "assistant", "content": "Leila Haddad"}]
    record = feedback_record(fact("What did she say?"), "up", history=history)
    assert record["kind"] == "conversation" and record["question"] == "What did she say?"
    assert record["turns"][0] == {"question": "Who is the director?", "context": True}
    assert record["turns"][1]["question"] == "What did she say?" and record["turns"][1]["evidence"] == [SENTENCE]


def test_bad_feedback_is_refused():
    with pytest.raises(FeedbackError, match="verdict must be 'up' or 'down'"):
        feedback_record(fact(), "meh")
    with pytest.raises(FeedbackError, match="short answer"):
        feedback_record(fact(), "down", answer_text="x" * (MAX_ANSWER_TEXT + 1))
    with pytest.raises(FeedbackError, match="evidence must be"):
        feedback_record(fact(), "down", evidence=42)

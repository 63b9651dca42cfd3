"""The data types: an answer's Markdown, "not sure" and "not in the article"."""

from assistant.schema import Answer, AnswerKind, Quote


def test_markdown_of_answer_and_abstention():
    q = Quote("Six ships.", "d", "Title", 10, 20, 1.0, 3)
    md = Answer("q", "six", [q]).markdown()
    assert md.startswith("**six**") and "> Six ships." in md and "sentence 4" in md
    assert "does not say" in Answer("q", "", [], abstained=True).markdown()


def test_not_sure_claims_no_answer_and_quotes_the_closest_passages():
    q = Quote("Six ships.", "d", "Title", 10, 20, 1.0, 3)
    a = Answer("q", "", [q], kind=AnswerKind.UNCERTAIN, confidence=0.3)
    assert a.abstained and a.kind == AnswerKind.UNCERTAIN and a.closest
    md = a.markdown()
    assert md.startswith("**Not sure:** the article may not answer this") and "> Six ships." in md
    assert "closest: *Title*, sentence 4" in md and "does not say" not in md
    message = a.as_message()
    assert message["kind"] == "uncertain" and message["confidence"] == 0.3 and message["quotes"][0]["start"] == 10
    assert a.to_dict()["abstained"] is True and a.to_dict()["confidence"] == 0.3
    # "Not in the article" stays apart: no quotes, its own kind.
    hard = Answer("q", "", [], abstained=True)
    assert hard.kind == AnswerKind.ABSTAINED and not hard.closest and hard.confidence is None

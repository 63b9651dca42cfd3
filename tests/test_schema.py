"""The data types: an answer's Markdown."""

from assistant.schema import Answer, Quote


def test_markdown_of_answer_and_abstention():
    q = Quote("Six ships.", "d", "Title", 10, 20, 1.0, 3)
    md = Answer("q", "six", [q]).markdown()
    assert md.startswith("**six**") and "> Six ships." in md and "sentence 4" in md
    assert "does not say" in Answer("q", "", [], abstained=True).markdown()

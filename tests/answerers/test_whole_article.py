"""Whole-article requests through the real assistant (Chroma, MiniLM, spaCy): every reply has its
kind, and every quote is a verbatim slice of the stored text."""
import pytest

from conftest import ROOT, SEED

FERRY = ROOT / "tests" / "articles" / "ferry_strike.txt"


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    from assistant import Assistant

    bot = Assistant(index_dir=tmp_path_factory.mktemp("whole"))
    bot.add_file(SEED, doc_id="seed")
    bot.add_file(FERRY, doc_id="ferry")
    return bot


def verbatim(bot, answer):
    return all(bot.document(q.doc_id).text[q.start:q.end] == q.text for q in answer.quotes)


def test_summary_is_lead_plus_central_sentences_of_the_document_asked(bot):
    answer = bot.answer("What is this article about?", doc_ids=["ferry"])
    assert answer.kind == "summary" and 2 <= len(answer.quotes) <= 4 and verbatim(bot, answer)
    assert answer.quotes[0].text.startswith("HALIFAX, Nova Scotia (Coastal Press) -- Ferry crews")
    assert len({q.text for q in answer.quotes}) == len(answer.quotes)
    assert [q.start for q in answer.quotes] == sorted(q.start for q in answer.quotes)


def test_summary_of_several_documents_has_one_part_each(bot):
    answer = bot.answer("Summarize")
    assert answer.kind == "summary" and {q.doc_id for q in answer.quotes} == {"seed", "ferry"}
    assert answer.text.count("Summary of") == 2


def test_about_quotes_byline_date_line_and_dateline(bot):
    author = bot.answer("Who wrote the article?", doc_ids=["ferry"])
    assert author.kind == "about" and author.text == "Maria Okafor"
    assert author.quotes[0].text == "By Maria Okafor" and verbatim(bot, author)
    date = bot.answer("When was it published?", doc_ids=["ferry"])
    assert date.text == "March 14, 2025" and date.quotes[0].text == "Published: March 14, 2025"
    place = bot.answer("Where was the story filed from?", doc_ids=["ferry"])
    assert place.text == "Halifax, Nova Scotia" and place.quotes[0].text.startswith("HALIFAX, Nova Scotia")
    seed_author = bot.answer("Who is the author?", doc_ids=["seed"])
    assert seed_author.text == "Shin Hyon-hee" and verbatim(bot, seed_author)
    assert "does not give its date" in bot.answer("When was the article published?", doc_ids=["seed"]).text


def test_byline_and_date_line_are_not_indexed_as_sentences(bot):
    texts = [s.text for s in bot.catalog.by_doc["ferry"]]
    assert "By Maria Okafor" not in texts and "Published: March 14, 2025" not in texts
    assert [s.index for s in bot.catalog.by_doc["ferry"]] == list(range(len(texts)))


def test_mentions_and_not_mentioned_differ_from_abstaining(bot):
    yes = bot.answer("Is Whitcombe mentioned?", doc_ids=["ferry"])
    assert yes.kind == "mentions" and "in 2 places" in yes.text and len(yes.quotes) == 2 and verbatim(bot, yes)
    no = bot.answer("Is China mentioned?", doc_ids=["seed"])
    assert no.kind == "not_mentioned" and not no.abstained and not no.quotes
    assert "does not mention China" in no.markdown() and "does not say" not in no.markdown()
    # "What does it say about X?" with X absent is a fact question: the plain abstention.
    assert bot.answer("What does the article say about volcanoes?", doc_ids=["ferry"]).kind in ("abstained", "fact")


def test_names_mentioned_each_with_its_first_quote(bot):
    answer = bot.answer("Who is mentioned in the article?", doc_ids=["ferry"])
    assert answer.kind == "entities" and verbatim(bot, answer)
    for name in ("Daniel Arsenault", "Leila Haddad", "Tom Whitcombe", "Priya Nair"):
        assert name in answer.text and any(name in q.text for q in answer.quotes)
    assert "Haddad (" not in answer.text.replace("Leila Haddad (", "")   # a surname alone is the same person


def test_tell_me_more_quotes_new_sentences_then_source(bot):
    first = bot.answer("What did the union accept?", doc_ids=["ferry"])
    history = [{"role": "user", "content": first.question}, first.as_message()]
    more = bot.answer("Tell me more", history, doc_ids=["ferry"])
    assert more.kind == "more" and more.quotes and verbatim(bot, more)
    assert not {q.text for q in more.quotes} & {q.text for q in first.quotes}
    history += [{"role": "user", "content": "Tell me more"}, more.as_message()]
    source = bot.answer("Which article says that?", history)
    assert source.kind == "source" and "Ferry workers end two-week strike" in source.text
    assert {q.text for q in source.quotes} == {q.text for q in more.quotes}
    # The quotes travel as data: the same Markdown without them has nothing to go on from.
    shown_only = [{"role": m["role"], "content": m["content"]} for m in history]
    assert bot.answer("Which article says that?", shown_only).kind == "about"


def test_history_quotes_of_the_wrong_shape_are_refused_in_one_line(bot):
    from assistant.errors import InvalidRequestError

    for quotes in ("x", [{"doc_id": "ferry", "start": "0", "end": 5}], [{"doc_id": "ferry", "start": 9, "end": 2}],
                   [{"doc_id": 3, "start": 0, "end": 5}], [{"doc_id": "ferry", "start": 0, "end": 1}] * 51):
        with pytest.raises(InvalidRequestError):
            bot.answer("Tell me more", [{"role": "user", "content": "Who?"},
                                        {"role": "assistant", "content": "x", "quotes": quotes}])
    # a quote that is not a stored sentence (another version, a made-up span) is simply not one
    reply = bot.answer("Tell me more", [{"role": "user", "content": "What did the union accept?"},
                                        {"role": "assistant", "content": "x",
                                         "quotes": [{"doc_id": "ferry", "start": 1, "end": 4}]}], doc_ids=["ferry"])
    assert reply.kind in ("more", "summary") and verbatim(bot, reply)


def test_summarise_the_article_means_the_one_on_screen(bot):
    shown = bot.answer("Summarise the article", viewing="ferry")
    assert shown.kind == "summary" and {q.doc_id for q in shown.quotes} == {"ferry"}
    fact = bot.answer("How many crew members will the authority hire?", viewing="seed")
    assert fact.kind == "fact" and fact.quotes[0].doc_id == "ferry"    # a fact question searches them all


def test_tell_me_more_without_a_conversation_starts_with_the_gist(bot):
    assert bot.answer("Tell me more", doc_ids=["seed"]).kind == "summary"


def test_factual_questions_keep_the_fact_route(bot):
    answer = bot.answer("How many crew members will the authority hire?", doc_ids=["ferry"])
    assert answer.kind == "fact" and "25" in answer.text


def test_suggestions_are_answerable_and_new(bot):
    answer = bot.answer("What is this article about?", doc_ids=["ferry"])
    chips = bot.suggest(answer, [], ["ferry"])
    assert 1 <= len(chips) <= 3
    history = [{"role": "user", "content": answer.question}, answer.as_message()]
    for chip in chips:
        reply = bot.answer(chip, history, doc_ids=["ferry"])
        assert not reply.abstained and {q.text for q in reply.quotes} - {q.text for q in answer.quotes}


def test_html_in_an_article_is_shown_as_text(bot, tmp_path):
    bot.add_document("Markup test\n\nThe page said <img src=\"http://127.0.0.1:9/x\"> and <b>bold</b> things.",
                     doc_id="markup")
    try:
        answer = bot.answer("What did the page say?", doc_ids=["markup"])
        md = answer.markdown()
        assert answer.quotes and "<img" not in md and "&lt;img" in md and "<b>" not in md
    finally:
        bot.remove_document("markup")


def test_about_from_html_meta_and_a_sidecar(bot, tmp_path):
    page = tmp_path / "rain.html"
    page.write_text('<html><head><title>Rain | The Daily</title><meta name="author" content="Ann Lee">'
                    '<meta property="article:published_time" content="2024-03-03T10:00:00Z">'
                    '<meta property="og:site_name" content="The Daily">'
                    '<link rel="canonical" href="https://example.com/news/1"></head><body><h1>Rain falls</h1>'
                    '<p>Rain fell on Monday in the city, officials said.</p><p>More rain is expected.</p>'
                    '</body></html>', encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("Harvest begins early\n\nFarmers began the harvest two weeks early this year.\n", encoding="utf-8")
    (tmp_path / "note.json").write_text('{"author": "Sam Roe", "date": "2023-09-01", "url": "https://example.org/n"}',
                                        encoding="utf-8")
    bot.add_file(page, doc_id="rain")
    bot.add_file(note, doc_id="note")
    try:
        assert bot.answer("Who wrote this?", doc_ids=["rain"]).text == "Ann Lee"
        assert bot.answer("When was the article published?", doc_ids=["rain"]).text == "2024-03-03"
        assert bot.answer("What is the source of this article?", doc_ids=["rain"]).text == \
            "The Daily, https://example.com/news/1, rain.html"
        author = bot.answer("Who is the author?", doc_ids=["note"])
        assert author.text == "Sam Roe" and not author.quotes    # metadata only: nothing in the text to quote
    finally:
        bot.remove_document("rain")
        bot.remove_document("note")


def test_suggestions_are_asked_one_at_a_time(bot, monkeypatch):
    """The chat shows each chip as soon as it is found and stops asking when the next question comes:
    taking the first suggestion asks no further, and the whole run gives what `suggest` gives."""
    answer = bot.answer("What is this article about?", doc_ids=["ferry"])
    asked = []
    verified = bot.verified
    monkeypatch.setattr(bot, "verified", lambda a: asked.append(a.question) or verified(a))
    everything = bot.suggest(answer, [], ["ferry"])
    all_asked = len(asked)
    asked.clear()
    first = next(bot.suggestions(answer, [], ["ferry"]))
    assert first == everything[0] and len(everything) >= 2
    assert asked[-1] == first and len(asked) < all_asked

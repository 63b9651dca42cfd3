import pytest

from assistant.errors import InvalidDocumentError
from assistant.ingest.cleaner import clean_article
from assistant.ingest.readers import decode_text, read_file
from assistant.ingest.splitter import group_passages, indexed_sentences, sentence_windows
from conftest import SEED


@pytest.fixture(scope="module")
def seed():
    return clean_article(SEED.read_text(encoding="utf-8"))


def test_seed_boilerplate_title_and_byline(seed):
    assert seed.title == "Seoul, Tokyo set to restart talks on intelligence-sharing pact"
    assert seed.metadata["author"] == "Shin Hyon-hee"
    # The text is stored as given; navigation, headline and byline are only left out of the index.
    assert seed.text == SEED.read_text(encoding="utf-8")
    indexed = [seed.text[p.start:p.end] for p in seed.indexed]
    assert indexed[0].startswith("South Korea plans") and indexed[-1].endswith("serving in Japan.")
    assert not any(p in ("Back To Top", seed.title) or p.startswith("By Shin") for p in indexed)


def test_seed_sentences(seed):
    sentences = indexed_sentences(seed.text, "d", seed.indexed)
    texts = [s.text for s in sentences]
    assert len(sentences) == 23 and [s.index for s in sentences] == list(range(23))
    for s in sentences:   # offsets point at the stored text
        assert seed.text[s.span.start:s.span.end] == s.text
    # a quotation ending a sentence inside the quote marks stays whole
    assert any(t.startswith("“There is an increasing need") and t.endswith("threats.”") for t in texts)
    # two sentences in one paragraph are split; the quote after them is its own sentence
    assert "In Tokyo, Japan’s Chief Cabinet Secretary Yoshihide Suga expressed hopes for the deal." in texts
    assert any(t.startswith("“Our government believes") for t in texts)
    # "US" and hyphenated names do not end sentences
    assert any("involving the US, in order to" in t for t in texts)
    assert any("Lim Sung-nam said a GSOMIA" in t for t in texts)
    assert "Yet public sentiment here remains sour toward any military partnership with the former occupier." in texts


def test_html_and_markdown():
    page = clean_article("<html><head><title>T</title><script>x()</script></head><body><nav>Home</nav>"
                         "<h1>Big news</h1><p>First sentence. Second one.</p><footer>©</footer></body></html>",
                         fmt="html")
    assert page.title == "Big news" and page.text == "First sentence. Second one."
    assert clean_article("<p>A fragment of a page.</p><p>Its second paragraph.</p>", fmt="html").text == \
        "A fragment of a page.\n\nIts second paragraph."
    raw = "# Heading\n\nSome **bold** text with a [link](http://x).\n\n## Part two\n\n---\n\nMore  text\nwrapped.\n"
    md = clean_article(raw, fmt="markdown")
    assert md.title == "Heading" and md.text == raw   # Markdown is stored as given
    assert [raw[p.start:p.end] for p in md.indexed] == ["Some **bold** text with a [link](http://x).", "Part two",
                                                       "More  text\nwrapped."]


def test_quotes_are_verbatim_to_the_text_as_given():
    raw = "Storm hits coast\r\n\r\nThe storm killed  or injured 40 people.\r\nIt hit at\tnight, officials\nsaid.\n"
    article = clean_article(raw)
    assert article.text == raw and article.title == "Storm hits coast"
    sentences = indexed_sentences(article.text, "d", article.indexed)
    assert [s.text for s in sentences] == ["The storm killed  or injured 40 people.",
                                           "It hit at\tnight, officials\nsaid."]
    assert all(raw[s.span.start:s.span.end] == s.text for s in sentences)


@pytest.mark.parametrize("data,message", [(b"", "empty"), (b"  \n", "empty"), (b"\x00\x01\x02PK", "binary"),
                                          (b"caf\xe9 au lait", "not UTF-8")])
def test_bad_bytes(data, message):
    with pytest.raises(InvalidDocumentError, match=message):
        decode_text(data, "f")


def test_unsupported_file(tmp_path):
    p = tmp_path / "x.pdf"
    p.write_bytes(b"%PDF")
    with pytest.raises(InvalidDocumentError, match="unsupported"):
        read_file(p)


def test_passages_cover_sentences_in_order(seed):
    sentences = indexed_sentences(seed.text, "d", seed.indexed)
    passages = group_passages(seed.text, sentences)
    assert [p.first for p in passages][0] == 0 and passages[-1].last == len(sentences) - 1
    assert all(a.last + 1 == b.first for a, b in zip(passages, passages[1:]))
    for p in passages:   # a passage is whole sentences, at least 300 characters unless it is the last
        assert p.span.start == sentences[p.first].span.start and p.span.end == sentences[p.last].span.end
        assert p.span.end - p.span.start >= 300 or p is passages[-1]


def test_windows_of_long_sentences(seed):
    sentences = indexed_sentences(seed.text, "d", seed.indexed)
    windows = sentence_windows(sentences, size=16, stride=8)
    long = {s.index for s in sentences if len(s.text.split()) > 20}
    assert long and {w.first for w in windows} == long and all(w.first == w.last for w in windows)
    for w in windows:   # each window is a verbatim run of at most 16 words inside its sentence
        sentence = sentences[w.first]
        piece = seed.text[w.span.start:w.span.end]
        assert sentence.span.start <= w.span.start < w.span.end <= sentence.span.end
        assert len(piece.split()) <= 16 and piece in sentence.text
    for index in long:  # together they cover the whole sentence
        own = [w for w in windows if w.first == index]
        assert own[0].span.start == sentences[index].span.start and own[-1].span.end == sentences[index].span.end


@pytest.mark.parametrize("para", [
    "Yes. Yes. Yes.",
    "Mr. Lee met Dr. Kim at 9 a.m. on Jan. 5. They spoke for an hour.",
    "“We will go,” he said.  “Now.”   It was 3.5 km away; the U.S. team left.",
    "No terminal punctuation here",
])
def test_sentence_search_matches_pysbd(para):
    """The splitter locates pysbd's sentences with str.find, not a regex per sentence: the same pieces."""
    from assistant.ingest.splitter import _segment, _segmenter

    assert _segment(para) == _segmenter().segment(para)

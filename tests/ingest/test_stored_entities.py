"""Each sentence's named entities are found once, at ingest, and stored with it (in Chroma and in
the saved catalog): a question reads them instead of running spaCy on its candidates."""
import pytest

import assistant.text.entities as entities_module
from assistant import Assistant
from assistant.catalog.catalog import SnapshotFile
from assistant.store.chroma_store import _unpack_entities

ARTICLES = {
    "orchard": ("Orchard harvest\n\nApple growers in the Loire valley picked 12,000 tonnes this autumn, "
                "said Marie Dubois of the growers' union. Cold nights in May had cut the blossom."),
    "bridge": ("Bridge vote\n\nThe council of Port Elin voted 7 to 2 on Monday to repair the old stone "
               "bridge. Work starts in March and costs 3 million euros."),
}
QUESTION = "How many tonnes did the apple growers pick?"


@pytest.fixture()
def ner_calls(monkeypatch):
    """The texts spaCy's NER is run on, and an empty entity cache to start from."""
    seen: list[str] = []
    original = entities_module._ner

    def spy(texts):
        seen.extend(texts)
        return original(texts)
    monkeypatch.setattr(entities_module, "_ner", spy)
    monkeypatch.setattr(entities_module, "_ENTITIES", type(entities_module._ENTITIES)())
    return seen


def ingest(index) -> Assistant:
    bot = Assistant(index_dir=index)
    report = bot.add_documents({"text": text, "doc_id": doc_id} for doc_id, text in ARTICLES.items())
    assert sorted(report.indexed) == sorted(ARTICLES)
    return bot


def test_each_sentence_is_stored_with_the_entities_spacy_finds_in_it(tmp_path):
    bot = ingest(tmp_path / "ix")
    stored = [s for d in bot.store.stored_documents(sorted(ARTICLES)) for s in d.sentences]
    assert len(stored) >= 4
    assert [s.entities for s in stored] == entities_module.find_entities([s.text for s in stored])
    names = {e[0] for s in stored for e in s.entities}
    assert {"12,000 tonnes", "Marie Dubois", "March"} <= names
    for s in stored:
        assert all(s.text[a:b] == text for text, _, a, b in s.entities)
    bot.catalog.persist()
    loaded = SnapshotFile(tmp_path / "ix" / "catalog.pkl").load()
    assert {s.id: s.entities for s in stored} == {sid: s.entities for sid, s in loaded.by_id.items()}


def test_a_question_runs_no_ner_on_sentences_stored_with_their_entities(tmp_path, ner_calls):
    bot = ingest(tmp_path / "ix")
    sentences = {s.text for s in bot.catalog.current.by_id.values()}
    ner_calls.clear()
    answer = bot.answer(QUESTION)
    assert "12,000 tonnes" in answer.text
    assert not sentences & set(ner_calls)

    again = Assistant(index_dir=tmp_path / "ix")    # a new process's view: the saved catalog
    again.answer("When does the work on the bridge start?")
    assert not sentences & set(ner_calls)


def test_sentences_of_an_older_index_get_their_entities_when_asked(tmp_path, ner_calls):
    """An index written before entities were stored: each candidate goes through spaCy, as before."""
    bot = ingest(tmp_path / "ix")
    for s in bot.catalog.current.by_id.values():
        s.entities = None
    ner_calls.clear()
    answer = bot.answer(QUESTION)
    assert "12,000 tonnes" in answer.text
    assert any("12,000 tonnes" in text for text in ner_calls)


def test_stored_entities_that_are_missing_or_damaged_read_as_not_stored():
    text = "Marie Dubois spoke in May."
    assert _unpack_entities(text, '[["PERSON",0,12],["DATE",22,25]]') == (("Marie Dubois", "PERSON", 0, 12),
                                                                         ("May", "DATE", 22, 25))
    assert _unpack_entities(text, None) is None
    assert _unpack_entities(text, "not json") is None
    assert _unpack_entities(text, '[["PERSON", 0]]') is None
    assert _unpack_entities(text, '[["DATE", 22, 99]]') == ()       # outside the sentence: dropped

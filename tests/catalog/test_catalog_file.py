"""The catalog saved beside the index: a new process loads it instead of reading every row back,
and only documents whose rows or metadata changed are read again (by this process or another)."""
import subprocess
import sys

import pytest

from conftest import ROOT

ARTICLES = {
    "harbour": ("Harbour reopens\n\nThe harbour of Port Elin reopened on Tuesday after a storm. "
                "Ferries to the islands resumed at noon, the port authority said."),
    "orchard": ("Orchard harvest\n\nApple growers in the valley picked 12,000 tonnes this autumn. "
                "Cold nights in May had cut the blossom, growers said."),
    "bridge": ("Bridge vote\n\nThe council voted 7 to 2 to repair the old stone bridge. "
               "Work starts in March and costs 3 million euros."),
}


@pytest.fixture()
def reads(monkeypatch):
    """The document ids the store is asked to read back, call by call."""
    from assistant.store.chroma_store import ChromaStore

    calls = []
    original = ChromaStore.stored_documents

    def spy(self, doc_ids):
        calls.append(sorted(doc_ids))
        return original(self, doc_ids)
    monkeypatch.setattr(ChromaStore, "stored_documents", spy)
    return calls


def ingest(index, **articles):
    from assistant import Assistant

    bot = Assistant(index_dir=index)
    report = bot.add_documents({"text": text, "doc_id": doc_id} for doc_id, text in articles.items())
    assert sorted(report.indexed) == sorted(articles)
    return bot


def test_a_new_process_answers_from_the_saved_catalog(tmp_path, reads):
    from assistant import Assistant

    first = ingest(tmp_path / "ix", **ARTICLES)
    assert (tmp_path / "ix" / "catalog.pkl").is_file()
    question = "How many tonnes did the apple growers pick?"
    expected = first.answer(question)
    reads.clear()

    again = Assistant(index_dir=tmp_path / "ix")
    answer = again.answer(question)
    assert reads == []                                    # nothing read back from the store
    assert answer.quotes[0].text == expected.quotes[0].text and "12,000 tonnes" in answer.quotes[0].text
    assert sorted(again.catalog.docs) == sorted(ARTICLES)


def test_only_changed_documents_are_read_again(tmp_path, reads):
    from assistant import Assistant

    ingest(tmp_path / "ix", **ARTICLES)
    bot = Assistant(index_dir=tmp_path / "ix")
    bot.catalog.current
    # another process replaces one document, removes one and adds one
    script = ("import sys; from assistant import Assistant; b = Assistant(index_dir=sys.argv[1]); "
              "b.add_document(sys.argv[2], 'bridge'); b.remove_document('orchard'); b.add_document(sys.argv[3], 'fog')")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "ix"),
                          ARTICLES["bridge"].replace("7 to 2", "8 to 1"),
                          "Fog closes airport\n\nThick fog closed the island airport for six hours on Friday."],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    reads.clear()
    bot.store.CHECK_EVERY = 0
    answer = bot.answer("How did the council vote on the bridge?")
    assert reads == [["bridge", "fog"]]
    assert "8 to 1" in answer.quotes[0].text
    assert sorted(bot.catalog.docs) == ["bridge", "fog", "harbour"]
    assert not any(s.doc_id == "orchard" for s in bot.catalog.sentences)


def test_a_metadata_change_reaches_the_catalog(tmp_path):
    bot = ingest(tmp_path / "ix", harbour=ARTICLES["harbour"])
    bot.add_document(ARTICLES["harbour"], "harbour", metadata={"author": "Ana Ruiz"})
    assert bot.catalog.document("harbour").metadata["author"] == "Ana Ruiz"


@pytest.mark.parametrize("damage", [b"", b"not a pickle at all", b"\x80\x05garbage"])
def test_a_damaged_or_stale_catalog_file_is_rebuilt_from_the_store(tmp_path, damage, reads):
    from assistant import Assistant

    ingest(tmp_path / "ix", **ARTICLES)
    path = tmp_path / "ix" / "catalog.pkl"
    stale = path.read_bytes()
    Assistant(index_dir=tmp_path / "ix").remove_document("harbour")

    path.write_bytes(damage)
    bot = Assistant(index_dir=tmp_path / "ix")
    assert sorted(bot.catalog.docs) == ["bridge", "orchard"]
    bot.catalog.persist()
    assert path.read_bytes() not in (damage, stale)         # saved again, whole

    path.write_bytes(stale)                                 # an older file: checked against the store
    reads.clear()
    bot = Assistant(index_dir=tmp_path / "ix")
    assert sorted(bot.catalog.docs) == ["bridge", "orchard"]
    assert reads == []                                      # the two unchanged documents are reused
    answer = bot.answer("When did the harbour of Port Elin reopen?")
    assert answer.abstained or all(q.doc_id != "harbour" for q in answer.quotes)


def test_a_process_saves_its_newer_catalog_when_it_ends(tmp_path):
    from assistant.catalog.catalog import SnapshotFile

    ingest(tmp_path / "ix", harbour=ARTICLES["harbour"])
    script = ("import sys; from assistant import Assistant; b = Assistant(index_dir=sys.argv[1]); "
              "b.add_document(sys.argv[2], 'orchard'); print(b.answer('How many tonnes were picked?').quotes[0].doc_id)")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "ix"), ARTICLES["orchard"]],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.split() == ["orchard"], out.stderr
    assert sorted(SnapshotFile(tmp_path / "ix" / "catalog.pkl").load().docs) == ["harbour", "orchard"]


def test_a_loaded_catalog_finds_the_same_passage_and_window_rows(tmp_path):
    """Window vectors are mapped from the file, rows are found per sentence when asked."""
    import numpy as np

    from assistant.catalog.catalog import SnapshotFile

    long = ("The committee, which met for nine hours on Thursday in the old town hall beside the river, "
            "finally agreed after a long and often heated debate to fund the new ferry terminal, the "
            "repaired harbour wall and a footbridge that residents had asked for since the storm of 2019.")
    bot = ingest(tmp_path / "ix", harbour=ARTICLES["harbour"], council=f"Council vote\n\n{long} Work starts soon.")
    built = bot.catalog.current
    loaded = SnapshotFile(tmp_path / "ix" / "catalog.pkl").load()
    # mapped from the file, not read into memory (a plain array over the map)
    assert isinstance(loaded.window_vectors.base, np.memmap) and len(loaded.window_vectors) >= 2
    windowed = 0
    for sid in built.by_id:
        for which in ("window", "passage"):
            rows = getattr(built, f"{which}_rows").get(sid)
            assert rows == getattr(loaded, f"{which}_rows").get(sid)
            if rows:
                a, b = (getattr(s, f"{which}_vectors")[rows[0]:rows[1]] for s in (built, loaded))
                assert np.array_equal(a, b) and len(a) >= 1
        windowed += built.window_rows.get(sid) is not None
    assert windowed == 1                                # only the long sentence has windows
    assert built.passage_rows.get("council::0") is not None and built.passage_rows.get("council::99") is None
    assert built.window_rows.get("nosuch::0") is None and built.window_rows.get("council::x") is None

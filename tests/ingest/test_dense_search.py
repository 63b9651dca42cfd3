"""Dense search in the real Chroma reads document, version and sentence number from the row ids:
ids that hold "::" themselves still resolve, and a replaced version is never returned."""
from assistant import Assistant

FIRST = "Tide tables\n\nThe harbour master posted new tide tables on Friday. Ferries leave an hour later."
SECOND = "Tide tables\n\nThe harbour closed for repairs on Sunday. Divers checked the old sea wall."


def test_dense_hits_name_current_sentences_of_ids_holding_the_separator(tmp_path):
    bot = Assistant(index_dir=tmp_path / "ix")
    doc_id = "port::news::1"
    bot.add_documents([{"text": FIRST, "doc_id": doc_id}, {"text": SECOND, "doc_id": "other"}])
    vector = bot.embedder.encode_query("When were the new tide tables posted?")
    hits = bot.store.search(vector, 10)
    by_id = {s.id: s.text for s in bot.catalog.current.by_id.values()}
    assert hits and all(sid in by_id for sid, _ in hits)
    assert "posted new tide tables" in by_id[hits[0][0]]
    assert hits[0][0].startswith(f"{doc_id}::")

    bot.add_documents([{"text": SECOND.replace("Sunday", "Monday"), "doc_id": doc_id}])   # a new version
    texts = {s.id: s.text for s in bot.catalog.current.by_id.values()}
    hits = bot.store.search(vector, 10)
    assert hits and all(sid in texts for sid, _ in hits)
    assert not any("tide tables on Friday" in texts[sid] for sid, _ in hits)
    assert len(hits) == len(texts)    # every current sentence, no stale row

"""Bulk ingest: many documents embedded together, each written whole; a rerun skips what is
stored unchanged; bad items are reported, not fatal."""
import subprocess
import sys

from conftest import ROOT


def test_add_documents_batches_skips_unchanged_and_reports_failures(tmp_path):
    from assistant import Assistant, AnswerKind

    bot = Assistant(index_dir=tmp_path / "ix")
    docs = [{"doc_id": f"d{i}", "title": f"Report {i}",
             "text": f"Report {i}\n\nThe river rose {i} metres on Monday. Officials closed {i + 2} bridges."}
            for i in range(12)]
    written = []
    report = bot.add_documents(docs + [{"text": ""}, {"doc_id": "bad\nid", "text": "Fine text."}, 5],
                               batch_sentences=5, on_written=lambda d, n: written.append((d, n)))
    assert report.indexed == [f"d{i}" for i in range(12)] and report.sentences == 24
    assert written == [(f"d{i}", 2) for i in range(12)] and len(report.failed) == 3
    assert all("\n" not in reason for _, reason in report.failed)
    # The answer, or "not sure" quoting it: the verifier is unsure on documents this small.
    answer = bot.answer("How many bridges were closed?", doc_ids=["d7"])
    first = answer.quotes[0]
    assert first.text == "Officials closed 9 bridges." and bot.document("d7").text[first.start:first.end] == first.text
    assert answer.kind in (AnswerKind.FACT, AnswerKind.UNCERTAIN) and (answer.closest or "9" in answer.text)

    docs[3] = {**docs[3], "text": docs[3]["text"].replace("Monday", "Tuesday")}
    again = bot.add_documents(docs)
    assert again.indexed == ["d3"] and len(again.skipped) == 11    # only the changed one is written
    assert "Tuesday" in bot.document("d3").text and bot.sentence_count("d3") == 2


def test_cli_ingest_folder_recursively(tmp_path):
    folder = tmp_path / "news" / "2024"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text("Rain in the north\n\nRain fell for three days.", encoding="utf-8")
    (folder / "b.md").write_text("# Snow\n\nSnow closed two roads.", encoding="utf-8")
    (folder / "b.json").write_text('{"author": "Kim Lee"}', encoding="utf-8")   # a sidecar, not a document
    (folder / "notes.pdf").write_bytes(b"%PDF")
    index = tmp_path / "ix"
    run = [sys.executable, "-m", "assistant", "ingest", str(tmp_path / "news"), "--index", str(index)]
    out = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "2 of 2 files indexed" in out.stdout, out.stdout + out.stderr
    again = subprocess.run(run + ["--jobs", "2"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "0 of 2 files indexed" in again.stdout and "2 unchanged" in again.stdout
    listing = subprocess.run([sys.executable, "-m", "assistant", "documents", "--json", "--index", str(index)],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert '"a"' in listing.stdout and "Kim Lee" in listing.stdout


def test_the_same_id_twice_in_one_run_keeps_the_later(tmp_path):
    from assistant import Assistant

    bot = Assistant(index_dir=tmp_path / "ix")
    report = bot.add_documents([{"doc_id": "x", "text": "Rain fell on Monday."},
                                {"doc_id": "y", "text": "Snow fell on Tuesday."},
                                {"doc_id": "x", "text": "Hail fell on Friday."}])
    assert report.indexed == ["x", "y", "x"] and not report.failed
    assert bot.document("x").text == "Hail fell on Friday." and bot.sentence_count("x") == 1


def test_worker_processes_give_the_same_index_and_skip_what_is_stored(tmp_path):
    from assistant import Assistant

    docs = [{"doc_id": f"d{i}", "text": f"The river rose {i} metres on Monday. Officials closed {i + 2} bridges "
                                        f"and {i + 5} schools near the coast after two days of rain."}
            for i in range(6)] + [{"text": ""}]
    one = Assistant(index_dir=tmp_path / "one")
    two = Assistant(index_dir=tmp_path / "two")
    a, b = one.add_documents(docs), two.add_documents(docs, jobs=2)
    assert a.indexed == b.indexed == [f"d{i}" for i in range(6)] and len(b.failed) == 1
    assert [s.text for s in one.catalog.sentences] == [s.text for s in two.catalog.sentences]
    again = two.add_documents(docs[:3] + [{**docs[3], "text": docs[3]["text"] + " Roads reopened."}], jobs=2)
    assert again.indexed == ["d3"] and again.skipped == ["d0", "d1", "d2"]

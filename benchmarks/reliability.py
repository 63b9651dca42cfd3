"""Reliability figures for docs/reliability.md, through the real parts:

- XQuAD quotes verbatim: every article indexed from the text as given, every question asked, every
  quote checked against that text at its offsets;
- 100 concurrent /chat requests on the seed: errors, latency, and whether each reply equals the
  reply to the same question asked alone;
- kill -9 during `assistant ingest` of many files at several moments: the index opens, lists only
  whole documents, every stored sentence is a slice of its document, and a rerun finishes;
- limits: a question at the 2,000-character limit on the seed (warm), and 1 MB of text with no
  sentence break ingested into a new index (with 13 KB to 1 MB beside it, to show the growth).

Usage: .venv/bin/python benchmarks/reliability.py [--data ../shared/data] [--skip xquad,chat,kill,limits]
"""
from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from assistant import Assistant
from assistant.evaluation.datasets import load_squad_articles
from assistant.settings import PROJECT_ROOT

SEED = PROJECT_ROOT / "seeds" / "000_8355bb5549ec8e52.txt"


def xquad_verbatim(data: Path) -> dict:
    articles = load_squad_articles(data / "xquad.en.json")
    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant(index_dir=tmp)
        given = {}
        for a in articles:
            bot.add_document(a.document.text, a.document.id, a.document.title)
            given[a.document.id] = a.document.text
        quotes = found = 0
        for a in articles:
            for item in a.items:
                for q in bot.answer(item.question).quotes:
                    quotes += 1
                    found += given[q.doc_id][q.start:q.end] == q.text
    return {"articles": len(articles), "quotes": quotes, "verbatim": found}


def concurrent_chat(n: int = 100) -> dict:
    from gradio_client import Client

    from assistant.ui.app import launch
    sys.path.insert(0, str(PROJECT_ROOT / "tests"))
    from conftest import free_port, wait_http

    questions = ["How many Aegis destroyers does Japan have?", "Who is Japan's Chief Cabinet Secretary?",
                 "What is this article about?", "Is China mentioned?", "What is the population of Seoul?"]
    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant(index_dir=tmp)
        bot.add_file(SEED)
        port = free_port()
        demo = launch(bot, port=port, block=False)
        url = f"http://127.0.0.1:{port}"
        wait_http(url)
        alone = {q: Client(url, verbose=False).predict(q, api_name="/chat") for q in questions}

        def ask(i):
            q = questions[i % len(questions)]
            start = time.perf_counter()
            try:
                reply = Client(url, verbose=False).predict(q, api_name="/chat")
                return time.perf_counter() - start, reply == alone[q], ""
            except Exception as exc:   # counted, not raised: the figure is the error count
                return time.perf_counter() - start, False, str(exc)
        start = time.perf_counter()
        with ThreadPoolExecutor(n) as pool:
            results = list(pool.map(ask, range(n)))
        wall = time.perf_counter() - start
        demo.close()
    latencies = sorted(r[0] for r in results)
    return {"requests": n, "errors": sum(bool(r[2]) for r in results), "same_as_alone": sum(r[1] for r in results),
            "p50_s": round(statistics.median(latencies), 2), "p95_s": round(latencies[int(0.95 * n) - 1], 2),
            "wall_s": round(wall, 1)}


def kill_during_ingest(data: Path, moments=(5, 20, 45)) -> list[dict]:
    articles = load_squad_articles(data / "xquad.en.json")
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "texts"
        folder.mkdir()
        for a in articles:
            (folder / f"{a.document.id}.txt").write_text(f"{a.document.title}\n\n{a.document.text}", encoding="utf-8")
        for moment in moments:
            index = Path(tmp) / f"ix{moment}"
            cmd = [sys.executable, "-m", "assistant", "ingest", str(folder), "--index", str(index)]
            proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(moment)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            bot = Assistant(index_dir=index)
            docs = bot.documents()
            whole = all(bot.sentence_count(d.id) > 0 for d in docs)
            sliced = all(bot.document(s.doc_id).text[s.span.start:s.span.end] == s.text for s in bot.catalog.sentences)
            del bot
            rerun = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1800)
            after = Assistant(index_dir=index)
            out.append({"killed_at_s": moment, "documents_after_kill": len(docs), "only_whole_documents": whole,
                        "sentences_are_slices": sliced, "rerun_exit": rerun.returncode,
                        "documents_after_rerun": len(after.documents()), "files": len(articles)})
    return out


def unbroken_words(chars: int) -> str:
    import random

    rng = random.Random(3)
    vocabulary = "the council said that ferry crews would strike again next week after talks failed".split()
    out, size = [], 0
    while size < chars:
        out.append(rng.choice(vocabulary))
        size += len(out[-1]) + 1
    return " ".join(out)[:chars]


def limits() -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant(index_dir=tmp)
        bot.add_file(SEED, doc_id="seed")
        question = ("I have read a lot about this and want to be sure before my meeting tomorrow. " * 30
                    + "How many Aegis destroyers does Japan have?")[-2000:]
        bot.answer("How many Aegis destroyers does Japan have?")
        times = []
        for _ in range(5):
            start = time.perf_counter()
            answer = bot.answer(question)
            times.append(time.perf_counter() - start)
        out["question_at_limit"] = {"chars": len(question), "answer": answer.text,
                                    "seconds_median": round(statistics.median(times), 3)}
    out["unbroken_text"] = []
    for chars in (13_000, 108_000, 1_000_000):
        with tempfile.TemporaryDirectory() as tmp:
            bot = Assistant(index_dir=tmp)
            bot.add_document("Warm-up.\n\nThe models load here, not in the figure below.", doc_id="warm")
            text = unbroken_words(chars)
            start = time.perf_counter()
            n = bot.add_document(text, doc_id="unbroken")
            out["unbroken_text"].append({"chars": chars, "sentences": n,
                                         "seconds": round(time.perf_counter() - start, 2)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT.parent / "shared" / "data")
    parser.add_argument("--skip", default="")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    figures = {}
    if "xquad" not in skip:
        figures["xquad_verbatim"] = xquad_verbatim(args.data)
        print("XQuAD quotes verbatim:", figures["xquad_verbatim"], flush=True)
    if "chat" not in skip:
        figures["concurrent_chat"] = concurrent_chat()
        print("100 concurrent /chat:", figures["concurrent_chat"], flush=True)
    if "kill" not in skip:
        figures["kill_during_ingest"] = kill_during_ingest(args.data)
        for run in figures["kill_during_ingest"]:
            print("kill -9 during ingest:", run, flush=True)
    if "limits" not in skip:
        figures["limits"] = limits()
        print("limits:", figures["limits"], flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

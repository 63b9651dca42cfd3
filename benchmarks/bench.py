"""Benchmark (not a test): time to first answer, warm answer latency, ingest throughput.

Usage: python benchmarks/bench.py   (prints the figures; uses temporary indexes)
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST = """
import time, sys
t0 = float(sys.argv[1])
from assistant import Assistant
bot = Assistant(index_dir=sys.argv[2], seed=True)
bot.answer("Who is Japan's Chief Cabinet Secretary?")
print(time.time() - t0)
"""


def main() -> None:
    for runtime in ("torch", "onnx"):      # of the fine-tuned models (settings.model_runtime)
        env = {**os.environ, "ASSISTANT_MODEL_RUNTIME": runtime}
        with tempfile.TemporaryDirectory() as tmp:
            # cold: a new index, so the seed is indexed too; warm: the index exists
            runs = []
            for _ in range(3):
                out = subprocess.run([sys.executable, "-c", FIRST, str(time.time()), tmp],
                                     capture_output=True, text=True, cwd=ROOT, check=True, env=env)
                runs.append(float(out.stdout.strip().splitlines()[-1]))
            print(f"process start -> first answer ({runtime} runtime): {runs[0]:.2f} s with a new index, "
                  f"{min(runs[1:]):.2f} s with an existing index (best of 2)")

    from assistant.evaluation.gold import load_gold
    from assistant.evaluation.metrics import percentile
    from assistant.evaluation.datasets import load_squad_articles
    from assistant.service import Assistant
    from assistant.settings import get_settings

    questions = [t.question for item in load_gold(ROOT / "gold" / "seed.jsonl") for t in item.as_turns()]
    for runtime in ("torch", "onnx"):
        with tempfile.TemporaryDirectory() as tmp:
            bot = Assistant(index_dir=tmp, settings=get_settings(model_runtime=runtime))
            bot.add_file(ROOT / "seeds" / "000_8355bb5549ec8e52.txt")
            bot.answer(questions[0])
            latencies = []
            for q in questions:   # once each: a repeat would hit the query-embedding cache
                start = time.perf_counter()
                bot.answer(q)
                latencies.append((time.perf_counter() - start) * 1000)
            print(f"warm answer latency over {len(questions)} gold questions ({runtime} runtime): "
                  f"p50 {percentile(latencies, 50):.1f} ms, p95 {percentile(latencies, 95):.1f} ms")

    xquad = ROOT.parent / "shared" / "data" / "xquad.en.json"
    if xquad.exists():
        documents = [a.document for a in load_squad_articles(xquad)]
        with tempfile.TemporaryDirectory() as tmp:
            bot = Assistant(index_dir=tmp)
            start = time.perf_counter()
            n = sum(bot.add_document(d.text, d.id, d.title) for d in documents)
            elapsed = time.perf_counter() - start
            print(f"ingest: {n} sentences in {elapsed:.1f} s = {n / elapsed:.0f} sentences/s "
                  f"({len(documents)} XQuAD articles)")


if __name__ == "__main__":
    main()

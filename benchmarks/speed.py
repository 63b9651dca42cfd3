"""Benchmark (not a test): every speed figure of the assistant in one run, beside the bare recipe
and the LangChain chunk recipe measured in the same run, as ratios, with the targets.

- ingest, answer latency, restart and peak memory at about 10k sentences: `scale.py`'s phases, each
  system in processes of its own;
- the chat server's /chat alone and under 100 concurrent requests: `chat.py`, at the configured
  `CHAT_CONCURRENCY` (the peers have no chat).

Usage: .venv/bin/python benchmarks/speed.py [--size 10000] [--questions 100] [--out docs/speed.json]
Takes about 10 minutes here.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import chat   # noqa: E402  (benchmarks/chat.py)
import scale  # noqa: E402  (benchmarks/scale.py)

# measure -> (row key, "min" or "max", target, what the target is relative to)
TARGETS = {
    "ingest sentences/s": ("ingest_per_s", "min", 1.6, "bare"),
    "answer p50 ms": ("p50_ms", "max", 30.0, None),
    "answer p95 ms": ("p95_ms", "max", None, None),
    "restart to first answer s": ("first_answer_s", "max", 3.0, None),
    "peak RSS ingest MB": ("ingest_rss_mb", "max", 1200.0, None),
    "peak RSS serving MB": ("serve_rss_mb", "max", 1200.0, None),
}


def measure_scale(size: int, questions: int) -> dict[str, dict]:
    texts = scale.corpus()
    items = scale.take(texts, scale.sentence_counts(texts), size)
    rows = {}
    for system in scale.SYSTEMS:
        with tempfile.TemporaryDirectory() as tmp:
            index, listed = Path(tmp) / "index", Path(tmp) / "items.jsonl"
            listed.write_text("\n".join(json.dumps(t) for t in items), encoding="utf-8")
            row = scale.run_phase("ingest", "--system", system, "--index", str(index), "--items", str(listed))
            serving = [scale.run_phase("serve", "--system", system, "--index", str(index),
                                       "--questions", str(questions)) for _ in range(2)]
            row.update(serving[-1], first_answer_s=min(s["first_answer_s"] for s in serving),
                       ingest_per_s=row["sentences"] / row["seconds"])
            rows[system] = row
            print(f"{system}: {json.dumps(row)}", flush=True)
    return rows


def measure_chat(requests: int, threads: int) -> dict:
    from assistant import Assistant
    from assistant.settings import get_settings

    with tempfile.TemporaryDirectory() as tmp:
        Assistant(index_dir=tmp).add_file(chat.SEED)
        out = chat.run(get_settings().chat_concurrency, requests, threads, chat.questions(), tmp)
    print(f"chat: {json.dumps(out)}", flush=True)
    return out


def verdict(value: float, sense: str, target: float | None) -> str:
    if target is None:
        return ""
    return "met" if (value >= target if sense == "min" else value <= target) else "not met"


def report(rows: dict[str, dict], served: dict) -> list[str]:
    size = rows["assistant"]["sentences"]
    lines = [f"| measure ({size:,} sentences) | assistant | bare | chunks | x bare | x chunks | target | verdict |",
             "|---|---|---|---|---|---|---|---|"]
    for name, (key, sense, target, relative) in TARGETS.items():
        mine, bare, chunks = (rows[s][key] for s in scale.SYSTEMS)
        ratio = mine / bare if bare else float("nan")
        judged = ratio if relative == "bare" else mine
        goal = "" if target is None else f"{'>=' if sense == 'min' else '<='} {target:g}{'x bare' if relative else ''}"
        lines.append(f"| {name} | {mine:.1f} | {bare:.1f} | {chunks:.1f} | {ratio:.2f} | "
                     f"{mine / chunks if chunks else float('nan'):.2f} | {goal} | {verdict(judged, sense, target)} |")
    same = f"{served['same_as_alone']}/{served['requests']}"
    clean = not served["errors"] and served["same_as_alone"] == served["requests"]
    lines += [f"| /chat alone p50 ms | {served['alone_p50_ms']:.1f} | | | | | <= 50 | "
              f"{verdict(served['alone_p50_ms'], 'max', 50)} |",
              f"| /chat {served['requests']} concurrent, requests/s | {served['requests_per_s']:.1f} | | | | | "
              f">= 20, 0 errors, all equal | {verdict(served['requests_per_s'], 'min', 20) if clean else 'not met'} "
              f"({served['errors']} errors, {same} equal to alone) |"]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000, help="sentences in the index")
    parser.add_argument("--questions", type=int, default=100, help="XQuAD questions timed per system")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--out", type=Path, help="also write the raw figures here (JSON)")
    args = parser.parse_args()
    rows = measure_scale(args.size, args.questions)
    served = measure_chat(args.requests, args.threads)
    print("\n".join(["", *report(rows, served)]))
    if args.out:
        args.out.write_text(json.dumps({"scale": rows, "chat": served}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

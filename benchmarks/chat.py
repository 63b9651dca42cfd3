"""Benchmark (not a test): the chat server's /chat endpoint on the seed, over plain HTTP (Gradio's
`POST /gradio_api/call/chat`, then its event stream to the complete reply).

- alone: one client asks the seed questions one after another; p50 and p95 to the complete reply
  (and the same through `gradio_client`, which adds about 80 ms per call on its own: a trivial
  endpoint takes 8 ms over HTTP and 82 ms through it here);
- concurrent: 100 requests from 50 threads, each with its own HTTP connection; requests/s, p50,
  p95, errors, and how many replies equal the reply to the same question asked alone;
- both for each `--concurrency` (the `CHAT_CONCURRENCY` setting: replies computed at once).

The server is `assistant chat` in a process of its own, as a user runs it: the clients' threads
do not share its interpreter lock.

Usage: .venv/bin/python benchmarks/chat.py [--concurrency 1,2,3,4] [--requests 100] [--threads 50]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from assistant import Assistant
from assistant.evaluation.gold import load_gold
from assistant.settings import PROJECT_ROOT

SEED = PROJECT_ROOT / "seeds" / "000_8355bb5549ec8e52.txt"


def questions() -> list[str]:
    items = load_gold(PROJECT_ROOT / "gold" / "seed.jsonl")
    return [item.question for item in items if item.question and not item.turns]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def run(concurrency: int, requests: int, threads: int, asked: list[str], index: str) -> dict:
    import os
    import subprocess

    import httpx
    from gradio_client import Client
    sys.path.insert(0, str(PROJECT_ROOT / "tests"))
    from conftest import free_port, wait_http

    port = free_port()
    env = {**os.environ, "ASSISTANT_INDEX_DIR": index, "ASSISTANT_CHAT_CONCURRENCY": str(concurrency)}
    server = subprocess.Popen([sys.executable, "-m", "assistant", "chat", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_http(url)
    def ask_over(http: httpx.Client, q: str) -> str:
        event = http.post(f"{url}/gradio_api/call/chat", json={"data": [q, None, None]}).json()["event_id"]
        stream = http.get(f"{url}/gradio_api/call/chat/{event}").text
        done = stream.rsplit("event: complete\ndata: ", 1)
        if len(done) != 2:
            raise RuntimeError(stream[-300:])
        return json.loads(done[1].split("\n", 1)[0])[0]

    try:
        http = httpx.Client(timeout=120)
        for q in asked[:3]:
            ask_over(http, q)        # warm
        alone, times = {}, []
        for q in asked:
            start = time.perf_counter()
            alone[q] = ask_over(http, q)
            times.append(time.perf_counter() - start)
        client, client_times = Client(url, verbose=False), []
        for q in asked[:20]:
            start = time.perf_counter()
            client.predict(q, api_name="/chat")
            client_times.append(time.perf_counter() - start)
        https = [httpx.Client(timeout=120) for _ in range(threads)]

        def ask(i: int):
            q = asked[i % len(asked)]
            start = time.perf_counter()
            try:
                reply = ask_over(https[i % threads], q)
                return time.perf_counter() - start, reply == alone[q], ""
            except Exception as exc:   # counted, not raised: the figure is the error count
                return time.perf_counter() - start, False, str(exc)

        start = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(ask, range(requests)))
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(30)
    latencies = [r[0] for r in results]
    return {"concurrency": concurrency, "alone_p50_ms": round(1000 * statistics.median(times), 1),
            "alone_p95_ms": round(1000 * percentile(times, 0.95), 1),
            "gradio_client_alone_p50_ms": round(1000 * statistics.median(client_times), 1), "requests": requests,
            "requests_per_s": round(requests / wall, 1), "p50_s": round(statistics.median(latencies), 2),
            "p95_s": round(percentile(latencies, 0.95), 2), "errors": sum(bool(r[2]) for r in results),
            "same_as_alone": sum(r[1] for r in results)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrency", default="1,2,3,4")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--threads", type=int, default=50)
    args = parser.parse_args()
    asked = questions()
    with tempfile.TemporaryDirectory() as tmp:
        Assistant(index_dir=tmp).add_file(SEED)
        for c in (int(x) for x in args.concurrency.split(",")):
            print(json.dumps(run(c, args.requests, args.threads, asked, tmp)), flush=True)


if __name__ == "__main__":
    main()

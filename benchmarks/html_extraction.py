"""Benchmark (not a test): how much of what HTML ingest stores is the article, on real news pages
with hand-marked article bodies (`../shared/data/html/`, see its README for the scoring).

Usage: python benchmarks/html_extraction.py [--data DIR] [--json OUT]
Scores, side by side: what ingest stores now (trafilatura, then the project's cleaning), trafilatura
alone, and the hand-written reader ingest used before (run from git history, commit OLD_READER).
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "html"
OLD_READER = "95c97c8c19dd4798194bc2fba97c630006f6140f"    # the last commit with the hand-written reader
RUN_OLD = """
import gzip, json, sys, time
from pathlib import Path
from assistant.ingest.document_builder import build_document
from assistant.errors import AssistantError
out = {}
for path in sorted(Path(sys.argv[1]).glob("*.html.gz")):
    html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
    t = time.perf_counter()
    try:
        text = build_document(html, doc_id="page", fmt="html").text
    except AssistantError:
        text = ""
    out[path.name.split(".")[0]] = [text, time.perf_counter() - t]
print(json.dumps(out))
"""


def shingles(text: str) -> Counter:
    words = re.findall(r"\w+", text)
    return Counter(tuple(words[i:i + 4]) for i in range(len(words) - 3))


def score(predicted: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    """Precision and recall averaged over pages (tp, fp, fn normalised per page), F1 of the means."""
    precisions, recalls = [], []
    for key, body in truth.items():
        p, t = shingles(predicted.get(key, "")), shingles(body)
        tp = sum((p & t).values())
        fp, fn = sum(p.values()) - tp, sum(t.values()) - tp
        if tp + fp + fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        precisions.append(tp / (tp + fp) if tp + fp else 1.0 if not fn else 0.0)
        recalls.append(tp / (tp + fn) if tp + fn else 1.0)
    precision, recall = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": round(f1, 3), "precision": round(precision, 3), "recall": round(recall, 3)}


def pages(data: Path) -> dict[str, str]:
    return {p.name.split(".")[0]: gzip.decompress(p.read_bytes()).decode("utf-8", errors="replace")
            for p in sorted((data / "pages").glob("*.html.gz"))}


def run_current(html: dict[str, str]) -> tuple[dict[str, str], float]:
    from assistant.errors import AssistantError
    from assistant.ingest.document_builder import build_document

    build_document(next(iter(html.values())), doc_id="warm", fmt="html")    # imports and first parse
    out, started = {}, time.perf_counter()
    for key, page in html.items():
        try:
            out[key] = build_document(page, doc_id="page", fmt="html").text
        except AssistantError:
            out[key] = ""
    return out, (time.perf_counter() - started) / len(html)


def run_trafilatura(html: dict[str, str]) -> tuple[dict[str, str], float]:
    import trafilatura

    out, started = {}, time.perf_counter()
    for key, page in html.items():
        out[key] = trafilatura.extract(page) or ""
    return out, (time.perf_counter() - started) / len(html)


def run_old(data: Path) -> tuple[dict[str, str], float] | None:
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", OLD_READER, "assistant"],
                                 capture_output=True)
        if archive.returncode != 0:
            print(f"old reader: commit {OLD_READER[:7]} is not in this clone's history; left out")
            return None
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        out = subprocess.run([sys.executable, "-c", RUN_OLD, str(data / "pages")], cwd=tmp,
                             capture_output=True, text=True, check=True)
    found = json.loads(out.stdout)
    return {k: v[0] for k, v in found.items()}, sum(v[1] for v in found.values()) / len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    truth = {k: v["articleBody"] for k, v in
             json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8")).items()}
    html = pages(args.data)
    truth = {k: v for k, v in truth.items() if k in html}
    rows = {"ingest now (trafilatura + cleaning)": run_current(html), "trafilatura.extract alone": run_trafilatura(html)}
    old = run_old(args.data)
    if old:
        rows[f"hand-written reader ({OLD_READER[:7]})"] = old
    figures = {}
    print(f"{len(truth)} pages from {args.data}")
    print(f"{'reader':42} {'F1':>6} {'prec.':>6} {'recall':>6} {'ms/page':>8} {'empty':>6}")
    for name, (texts, seconds) in rows.items():
        s = score(texts, truth)
        empty = sum(1 for k in truth if not texts.get(k, "").strip())
        figures[name] = {**s, "ms_per_page": round(seconds * 1000, 1), "pages_empty": empty}
        print(f"{name:42} {s['f1']:6.3f} {s['precision']:6.3f} {s['recall']:6.3f} {seconds * 1000:8.1f} {empty:6}")
    if args.json:
        args.json.write_text(json.dumps({"pages": len(truth), "readers": figures}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

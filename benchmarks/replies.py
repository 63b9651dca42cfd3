"""Every reply of the quality benchmark's questions, for a before/after diff of a change meant to
change no answer (a move, a speed-up): text, kind, quotes with offsets, Markdown, error.

  python benchmarks/replies.py dump OUT.json            # ~12 minutes on 2 cores (assistant only)
  python benchmarks/replies.py diff BEFORE.json AFTER.json
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def dump(out: Path) -> None:
    from assistant.evaluation.benchmark import QualityBenchmark, default_sets, variant_items
    from assistant.evaluation.evaluator import GoldSetEvaluator
    from assistant.service import Assistant

    def rows(run):
        return [{"id": r.item_id, "turn": r.turn, "q": r.question, "answer": r.answer, "abstained": r.abstained,
                 "kind": str(r.answer_kind), "quotes": [(q["doc_id"], q["start"], q["end"], q["text"]) for q in r.quotes],
                 "md": r.reply_markdown, "error": r.error} for r in run.results]

    replies = {}
    for bset in default_sets(ROOT.parent / "shared" / "data"):
        with tempfile.TemporaryDirectory() as tmp:
            bot = Assistant(index_dir=Path(tmp) / "main")
            for article in bset.articles:
                doc = article.document
                bot.add_document(doc.text, doc.id, doc.title, doc.metadata)
            replies[bset.name] = rows(GoldSetEvaluator(bset.items, bset.name).run(bot))
            documents, items = variant_items(bset, 150)
            replies[bset.name + " variants"] = rows(QualityBenchmark.ask_variants(
                Assistant(index_dir=Path(tmp) / "variants"), documents, items))
        print(f"{bset.name}: {len(replies[bset.name])} replies", flush=True)
    out.write_text(json.dumps(replies, indent=0), encoding="utf-8")


def diff(before: Path, after: Path) -> int:
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (before, after))
    total = changed = 0
    for name in a:
        if len(a[name]) != len(b.get(name, [])):
            print(f"{name}: {len(a[name])} replies before, {len(b.get(name, []))} after")
            changed += 1
        for x, y in zip(a[name], b.get(name, [])):
            total += 1
            fields = [k for k in x if x[k] != y.get(k)]
            if fields:
                changed += 1
                if changed <= 20:
                    print(f"{name} {x['id']}/{x['turn']}: {', '.join(fields)} differ")
    print(f"{total} replies, {changed} different")
    return 1 if changed else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "dump":
        dump(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        sys.exit(diff(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)

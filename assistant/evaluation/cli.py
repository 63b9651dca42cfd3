"""`assistant eval`: score the assistant (and peers) on a gold set or a SQuAD file."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ..errors import AssistantError

THRESHOLD_MET, THRESHOLD_MISSED, BAD_INPUT = 0, 1, 2


class UnusableInput(AssistantError):
    exit_code = BAD_INPUT


def add_eval_parser(sub, common) -> None:
    p = sub.add_parser("eval", parents=[common], help="evaluate against a gold set")
    p.add_argument("gold", nargs="?", help="gold set, JSONL")
    p.add_argument("--squad", type=Path, help="SQuAD v1.1 JSON instead of a gold set")
    p.add_argument("--documents", nargs="*", default=[], help="files to index first (temporary index)")
    p.add_argument("--json", type=Path, dest="json_out")
    p.add_argument("--markdown", type=Path)
    p.add_argument("--plot", type=Path)
    p.add_argument("--baseline", default="", help="comma-separated peers: bm25,dense,chunks")
    p.add_argument("--min", action="append", default=[], metavar="METRIC=VALUE",
                   help="fail (exit 1) when a metric is below VALUE; false_abstain and latency are maxima")
    p.add_argument("--limit", type=int, default=None, help="only the first N gold items")
    p.set_defaults(func=run_eval)


def _thresholds(specs: list[str]) -> dict[str, float]:
    out = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise UnusableInput(f"--min {spec!r}: expected METRIC=NUMBER") from None
        if not sep:
            raise UnusableInput(f"--min {spec!r}: expected METRIC=NUMBER")
    return out


def run_eval(args) -> int:
    from tqdm import tqdm

    from ..service import Assistant
    from .baselines import BM25Peer, ChunksPeer, DensePeer
    from .evaluator import GoldSetEvaluator
    from .gold import GoldFormatError, load_gold
    from .report import SHOWN, EvalReport
    from .squad import load_squad

    thresholds = _thresholds(args.min)
    unknown = set(thresholds) - set(SHOWN)
    if unknown:
        raise UnusableInput(f"unknown metric(s) in --min: {', '.join(sorted(unknown))}")
    peers = [p for p in args.baseline.split(",") if p]
    if set(peers) - {"bm25", "dense", "chunks"}:
        raise UnusableInput(f"unknown baseline in {args.baseline!r}; choose from bm25, dense, chunks")
    try:
        if args.squad:
            documents, items = load_squad(args.squad)
            name = args.squad.name
        elif args.gold:
            documents, items = [], load_gold(args.gold)
            name = Path(args.gold).name
        else:
            raise UnusableInput("give a gold file or --squad FILE")
    except GoldFormatError as exc:
        raise UnusableInput(str(exc)) from None
    items = items[: args.limit] if args.limit else items

    with tempfile.TemporaryDirectory() as tmp:
        temporary = bool(documents or args.documents)
        bot = Assistant(index_dir=Path(tmp) if temporary else args.index,
                        chroma_url=None if temporary else args.chroma_url)
        for doc in tqdm(documents, desc="index", unit="doc", disable=not documents):
            bot.add_document(doc.text, doc.id, doc.title, doc.metadata)
        for path in args.documents:
            bot.add_file(path)
        systems = [("assistant", bot)]
        if "bm25" in peers:
            systems.append(("bm25", BM25Peer(bot.catalog)))
        if "dense" in peers:
            systems.append(("dense", DensePeer(bot.catalog, bot.retriever.dense)))
        if "chunks" in peers:
            systems.append(("chunks", ChunksPeer(bot.documents(), bot.embedder)))
        evaluator = GoldSetEvaluator(items, name)
        report = EvalReport(name)
        for system_name, system in systems:
            with tqdm(total=evaluator.turn_count, desc=system_name, unit="q") as bar:
                report.systems.append(evaluator.run(system, system_name, progress=bar.update))

    markdown = report.to_markdown()
    print(markdown)
    if args.json_out:
        report.save_json(args.json_out)
    if args.markdown:
        args.markdown.write_text(markdown, encoding="utf-8")
    if args.plot:
        report.plot(args.plot)
    if not report.fidelity_ok():
        print("\033[31mBUG: quote fidelity below 100%\033[0m", file=sys.stderr)
    missed = []
    overall = report.main.overall
    for metric, limit in thresholds.items():
        value = overall[metric]
        lower_is_better = metric == "false_abstain" or metric.startswith("latency")
        if value != value or (value > limit if lower_is_better else value < limit):
            missed.append(f"{metric} = {value:.3f} ({'max' if lower_is_better else 'min'} {limit})")
    for line in missed:
        print(f"threshold missed: {line}", file=sys.stderr)
    return THRESHOLD_MISSED if missed else THRESHOLD_MET

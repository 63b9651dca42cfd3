"""`assistant eval`: score the assistant (and peers) on a gold set or a SQuAD file."""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from ..settings import settings_of
from ..text.controls import terminal_safe
from ..errors import AssistantError

THRESHOLD_MET, THRESHOLD_MISSED, BAD_INPUT = 0, 1, 2


class UnusableInput(AssistantError):
    exit_code = BAD_INPUT


def count(text: str) -> int:
    """A whole number of at least 1 (argparse reports anything else in one line)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, not {value}")
    return value


def add_eval_parser(sub, parents) -> None:
    p = sub.add_parser("eval", parents=parents, help="evaluate against a gold set")
    p.add_argument("gold", nargs="?", help="gold set, JSONL")
    p.add_argument("--squad", type=Path, help="SQuAD v1.1 JSON instead of a gold set")
    p.add_argument("--dataset", type=Path, help="a set in the shared dev format (JSONL, one article a line)")
    p.add_argument("--split", choices=["test", "tune", "all"], default="all",
                   help="articles of --squad/--dataset to use (split by article); default all")
    p.add_argument("--benchmark", action="store_true",
                   help="the quality benchmark: seed gold set, XQuAD, MultiRC and QED test articles, "
                        "each with its on-topic unanswerable variant, peers beside")
    p.add_argument("--data", type=Path, default=None, help="the shared data folder (default ../shared/data)")
    p.add_argument("--sets", default="seed,xquad,multirc,qed", help="benchmark sets, comma-separated")
    p.add_argument("--variants", type=count, default=150, help="on-topic unanswerable items per set")
    p.add_argument("--out", type=Path, default=None, help="benchmark output stem (writes .md, .json, .png)")
    p.add_argument("--compare", nargs="+", type=Path, metavar="RUN.json",
                   help="the paired rule: BEFORE.json with --benchmark compares this run with it; "
                        "BEFORE.json AFTER.json compares two saved runs (exit 1 when the change does not ship)")
    p.add_argument("--documents", nargs="*", default=[], help="files to index first (temporary index)")
    p.add_argument("--scoped", action="store_true",
                   help="ask each gold item within its own document (its doc_id), as if the user chose it")
    p.add_argument("--json", type=Path, dest="json_out")
    p.add_argument("--markdown", type=Path)
    p.add_argument("--plot", type=Path)
    p.add_argument("--baseline", default="", help="comma-separated peers: bm25,dense,chunks")
    p.add_argument("--min", action="append", default=[], metavar="METRIC=VALUE",
                   help="fail (exit 1) when a metric is below VALUE; for false_abstain, false_intent, confident_error, "
                        "hard_false_abstain, confident_unanswerable and latency VALUE is a maximum")
    p.add_argument("--limit", type=count, default=None, help="only the first N gold items")
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


def run_benchmark(args) -> int:
    from ..service import Assistant
    from ..settings import PROJECT_ROOT
    from .benchmark import QualityBenchmark, default_sets
    from .datasets import DatasetError

    data = args.data or PROJECT_ROOT.parent / "shared" / "data"
    peers = tuple(p for p in (args.baseline or "bm25,dense,chunks").split(",") if p)
    try:
        sets = default_sets(data, tuple(s for s in args.sets.split(",") if s))
    except (DatasetError, ValueError) as exc:
        raise UnusableInput(str(exc)) from None
    settings = settings_of(args)
    before = _load_runs(args.compare)[0] if args.compare else None
    result = QualityBenchmark(sets, peers, args.variants).run(lambda path: Assistant(index_dir=path, settings=settings))
    print(terminal_safe(result.to_markdown()))
    if args.out:
        result.save(args.out)
    return _print_comparison(before, result.to_dict()) if before is not None else THRESHOLD_MET


def _load_runs(paths: list[Path]) -> list[dict]:
    from .comparison import ComparisonError, load_run

    if len(paths) > 2:
        raise UnusableInput("--compare takes BEFORE.json, or BEFORE.json AFTER.json")
    try:
        return [load_run(path) for path in paths]
    except ComparisonError as exc:
        raise UnusableInput(str(exc)) from None


def _print_comparison(before: dict, after: dict) -> int:
    from .comparison import ComparisonError, compare

    try:
        comparison = compare(before, after)
    except ComparisonError as exc:
        raise UnusableInput(str(exc)) from None
    print(terminal_safe("# Paired comparison (reply accuracy)\n\n" + comparison.to_markdown()))
    return THRESHOLD_MET if comparison.design_ships else THRESHOLD_MISSED


def run_compare(args) -> int:
    if len(args.compare) == 1:
        raise UnusableInput("--compare BEFORE.json needs --benchmark (or give BEFORE.json AFTER.json)")
    before, after = _load_runs(args.compare)
    return _print_comparison(before, after)


def run_eval(args) -> int:
    from tqdm import tqdm

    if args.benchmark:
        return run_benchmark(args)
    if args.compare:
        return run_compare(args)

    from ..service import Assistant
    from .baselines import make_peer
    from .datasets import DatasetError, load_dev_articles, load_squad_articles, split_of
    from .evaluator import GoldSetEvaluator
    from .feedback import changes, changes_dict, changes_markdown, is_feedback_file, load_feedback
    from .gold import GoldFormatError, load_gold
    from .report import MAXIMA, SHOWN, EvalReport

    feedback = None
    thresholds = _thresholds(args.min)
    unknown = set(thresholds) - set(SHOWN)
    if unknown:
        raise UnusableInput(f"unknown metric(s) in --min: {', '.join(sorted(unknown))}")
    peers = [p for p in args.baseline.split(",") if p]
    if set(peers) - {"bm25", "dense", "chunks"}:
        raise UnusableInput(f"unknown baseline in {args.baseline!r}; choose from bm25, dense, chunks")
    try:
        if args.squad or args.dataset:
            source = args.squad or args.dataset
            articles = (load_squad_articles if args.squad else load_dev_articles)(source)
            articles = [a for a in articles if args.split == "all" or split_of(a.id) == args.split]
            documents = [a.document for a in articles]
            items = [item for a in articles for item in a.items]
            name = source.name
        elif args.gold and is_feedback_file(args.gold):
            feedback = load_feedback(args.gold)
            documents, items, name = [], feedback.items, feedback.name
            for line in feedback.problems:
                print(terminal_safe(f"warning: {line}"), file=sys.stderr)
        elif args.gold:
            documents, items = [], load_gold(args.gold)
            name = Path(args.gold).name
        else:
            raise UnusableInput("give a gold file or --squad FILE")
    except (GoldFormatError, DatasetError) as exc:
        raise UnusableInput(str(exc)) from None
    items = items[: args.limit] if args.limit else items

    with tempfile.TemporaryDirectory() as tmp:
        temporary = bool(documents or args.documents)
        bot = Assistant(index_dir=Path(tmp) if temporary else args.index,
                        chroma_url=None if temporary else args.chroma_url, settings=settings_of(args))
        for doc in tqdm(documents, desc="index", unit="doc", disable=not documents):
            bot.add_document(doc.text, doc.id, doc.title, doc.metadata)
        for path in args.documents:
            bot.add_file(path)
        systems = [("assistant", bot)] + [(p, make_peer(p, bot)) for p in peers]
        evaluator = GoldSetEvaluator(items, name, scoped=args.scoped)
        report = EvalReport(name)
        for system_name, system in systems:
            with tqdm(total=evaluator.turn_count, desc=system_name, unit="q") as bar:
                report.systems.append(evaluator.run(system, system_name, progress=bar.update))

    markdown = report.to_markdown()
    data = report.to_dict()
    if feedback is not None:   # what changed since each verdict
        found = changes(feedback, report.main)
        markdown += "\n" + changes_markdown(feedback, found)
        data["feedback"] = changes_dict(feedback, found)
    print(terminal_safe(markdown))
    if args.json_out:
        args.json_out.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
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
        lower_is_better = metric in MAXIMA or metric.startswith("latency")
        if value != value or (value > limit if lower_is_better else value < limit):
            missed.append(f"{metric} = {value:.3f} ({'max' if lower_is_better else 'min'} {limit})")
    for line in missed:
        print(f"threshold missed: {line}", file=sys.stderr)
    return THRESHOLD_MISSED if missed else THRESHOLD_MET


def run_requests_export(args) -> int:
    from ..settings import requests_file
    from .requests import export_requests

    return _export(args, requests_file, "requests", lambda source: export_requests(source, args.min_count))


def run_feedback_export(args) -> int:
    from ..settings import feedback_file
    from .feedback import export

    return _export(args, feedback_file, "feedback", lambda source: export(source, args.min_verdicts))


def _export(args, default_file, what: str, export) -> int:
    """Read `--file` (or the file beside the index), write the items, print the notes."""
    from .gold import GoldFormatError

    settings = settings_of(args)
    source = args.file or default_file(settings, args.index, args.chroma_url or settings.chroma_url)
    if not source.exists():
        raise UnusableInput(f"no {what} file at {source}")
    try:
        items, notes = export(source)
    except GoldFormatError as exc:
        raise UnusableInput(str(exc)) from None
    for line in notes:
        print(terminal_safe(f"note: {line}"), file=sys.stderr)
    try:
        args.out.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    except OSError as exc:
        raise UnusableInput(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(terminal_safe(f"{len(items)} item(s) written to {args.out}; {len(notes)} note(s)"))
    return THRESHOLD_MET


# feedback actions: (name, help, what OUT is, what --file is, the count option, its help, the runner)
FEEDBACK_ACTIONS = (
    ("export", "write a clean gold file: one item per question, conflicting marks reported", "the gold file",
     "the feedback file (default: ASSISTANT_FEEDBACK_FILE, or feedback.jsonl beside the index)",
     "--min-verdicts", "records that must agree on an item's label for it to be written (default 1)",
     run_feedback_export),
    ("requests", "write the requests taken from the chips as a phrasing set (intents_*.jsonl format)",
     "the phrasing file", "the requests file (default: feedback.requests.jsonl beside the feedback file)",
     "--min-count", "times a question must have been taken for one request to be written (default 1)",
     run_requests_export),
)


def add_feedback_parser(sub, parents) -> None:
    p = sub.add_parser("feedback", parents=parents, help="the feedback given in the chat, as a gold set; the requests taken, as phrasings")
    actions = p.add_subparsers(dest="action", required=True)
    for name, about, out, source, option, option_help, runner in FEEDBACK_ACTIONS:
        a = actions.add_parser(name, parents=parents, help=about)
        a.add_argument("out", type=Path, help=f"{out} to write (JSONL)")
        a.add_argument("--file", type=Path, default=None, help=source)
        a.add_argument(option, type=count, default=1, help=option_help)
        a.set_defaults(func=runner)

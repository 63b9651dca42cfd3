"""Command line: assistant ask | ingest | documents | remove | eval | chat."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import settings as _settings  # noqa: F401  (offline environment first)
from .errors import AssistantError


def _bot(args):
    from .service import Assistant

    return Assistant(index_dir=args.index, chroma_url=args.chroma_url)


def cmd_ask(args) -> int:
    answer = _bot(args).answer(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(answer.markdown())
    return 0


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    bot = _bot(args)
    paths = [p for arg in args.paths for p in (sorted(Path(arg).iterdir()) if Path(arg).is_dir() else [Path(arg)])]
    total, failed = 0, 0
    for path in tqdm(paths, desc="ingest", unit="file", disable=len(paths) < 2):
        try:
            n = bot.add_file(path, progress=len(paths) == 1)
            total += n
            tqdm.write(f"{path}: {n} sentences indexed")
        except AssistantError as exc:
            failed += 1
            tqdm.write(f"error: {exc}", file=sys.stderr)
    print(f"{len(paths) - failed} of {len(paths)} files indexed, {total} sentences")
    return 1 if failed else 0


def cmd_documents(args) -> int:
    bot = _bot(args)
    docs = bot.documents()
    if args.json:
        print(json.dumps([{"id": d.id, "title": d.title, "sentences": bot.sentence_count(d.id),
                           "metadata": d.metadata} for d in docs], ensure_ascii=False, indent=2))
        return 0
    for d in docs:
        print(f"{d.id}\t{bot.sentence_count(d.id)} sentences\t{d.title}")
    if not docs:
        print("(no documents)")
    return 0


def cmd_remove(args) -> int:
    _bot(args).remove_document(args.doc_id)
    print(f"removed {args.doc_id}")
    return 0


def cmd_chat(args) -> int:
    from .ui.app import launch

    bot = _bot(args)
    launch(bot, host=args.host or bot.settings.host, port=args.port or bot.settings.port)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="assistant", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index", type=Path, default=None, help="index directory (default: index/ with the seeds)")
    common.add_argument("--chroma-url", default=None, help="use a Chroma server, e.g. http://127.0.0.1:8000")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ask", parents=[common], help="answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("ingest", parents=[common], help="index .txt, .md or .html files (or folders)")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("documents", parents=[common], help="list indexed documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_documents)

    p = sub.add_parser("remove", parents=[common], help="remove a document")
    p.add_argument("doc_id")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("chat", parents=[common], help="open the chat in the browser")
    p.add_argument("--host", default=None, help="default: ASSISTANT_HOST or 127.0.0.1")
    p.add_argument("--port", type=int, default=None, help="default: ASSISTANT_PORT or 7860")
    p.set_defaults(func=cmd_chat)

    from .evaluation.cli import add_eval_parser

    add_eval_parser(sub, common)

    args = parser.parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()   # inside the try: a closed pipe is reported here, not at exit
        return code
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 1)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:   # `assistant documents --json | head -1`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())

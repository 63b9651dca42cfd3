"""Command line: assistant ask | ingest | documents | remove | eval | feedback | chat."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import settings as _settings  # noqa: F401  (offline environment first)
from .errors import AssistantError
from .settings import settings_of
from .text.controls import terminal_safe


def _bot(args):
    from .service import Assistant

    return Assistant(index_dir=args.index, chroma_url=args.chroma_url, settings=settings_of(args))


def cmd_ask(args) -> int:
    bot = _bot(args)
    if args.json:
        print(terminal_safe(json.dumps(bot.answer(args.question).to_dict(), ensure_ascii=False, indent=2)))
        return 0
    answer = None
    for piece in bot.stream(args.question):     # a model's words as they come, then the checked reply
        if isinstance(piece, str):
            if bot.settings.llm_url and sys.stdout.isatty():
                print(terminal_safe(piece), end="", flush=True)
        else:
            answer = piece
    if bot.settings.llm_url and sys.stdout.isatty():
        print("\n")
    print(terminal_safe(answer.markdown()))
    return 0


def _files(args) -> tuple[list[Path], int]:
    """Files named, and the supported files under folders named (recursively, matching --glob),
    and how many links inside those folders were left alone (all are followed with --follow-links:
    a link can point anywhere, /etc/passwd included)."""
    from fnmatch import fnmatch

    from .ingest.readers import SUPPORTED

    out, links = [], 0
    for arg in args.paths:
        path = Path(arg)
        try:
            folder = path.is_dir()
        except OSError:              # a name too long to look up: reading it reports that
            folder = False
        if not folder:
            out.append(path)
            continue
        found = []
        for folder, dirs, names in os.walk(path, followlinks=args.follow_links):
            here = Path(folder)
            if not args.follow_links:
                links += sum((here / d).is_symlink() for d in dirs)
            for name in names:
                file = here / name
                if not (fnmatch(name, args.glob) and file.suffix.lower() in SUPPORTED):
                    continue
                if file.is_symlink() and not args.follow_links:
                    links += 1
                elif file.is_file():
                    found.append(file)
        out += sorted(found)
    return out, links


def _is_link(arg: str) -> bool:
    return arg[:8].lower().startswith(("http://", "https://"))


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    bot = _bot(args)
    urls = [a for a in args.paths if _is_link(a)]
    args.paths = [a for a in args.paths if not _is_link(a)]
    paths, links = _files(args)
    items = [{"path": p} for p in paths] + [{"url": u} for u in urls]
    report = bot.add_documents(items, progress=True,
                               on_written=lambda doc_id, n: tqdm.write(terminal_safe(f"{doc_id}: {n} sentences indexed")))
    for name, reason in report.failed:
        print(terminal_safe(f"error: {reason}"), file=sys.stderr)
    rate = report.sentences / report.seconds if report.seconds else 0.0
    skipped_links = (f"; {links} link(s) inside the folders not followed (--follow-links follows them)"
                     if links else "")
    what = "links" if urls and not paths else "files and links" if urls else "files"
    print(f"{len(report.indexed)} of {len(items)} {what} indexed ({report.sentences} sentences, {rate:.0f}/s), "
          f"{len(report.skipped)} unchanged, {len(report.failed)} failed{skipped_links}")
    return 1 if report.failed else 0


def cmd_documents(args) -> int:
    bot = _bot(args)
    docs = bot.documents()
    if args.json:
        print(terminal_safe(json.dumps([{"id": d.id, "title": d.title, "sentences": bot.sentence_count(d.id),
                                         "metadata": d.metadata} for d in docs], ensure_ascii=False, indent=2)))
        return 0
    for d in docs:
        print(terminal_safe(f"{d.id}\t{bot.sentence_count(d.id)} sentences\t{d.title}"))
    if not docs:
        print("(no documents)")
    return 0


def cmd_remove(args) -> int:
    _bot(args).remove_document(args.doc_id)
    print(terminal_safe(f"removed {args.doc_id}"))
    return 0


def cmd_chat(args) -> int:
    from .ui.app import launch

    bot = _bot(args)
    launch(bot, host=bot.settings.host, port=bot.settings.port)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="assistant", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index", type=Path, default=None, help="index directory (default: index/ with the seeds)")
    common.add_argument("--chroma-url", default=None, help="use a Chroma server, e.g. http://127.0.0.1:8000")
    llm = argparse.ArgumentParser(add_help=False)
    llm.add_argument("--llm-url", default=None,
                     help="an OpenAI-compatible server that writes the answers, e.g. http://127.0.0.1:8080/v1 "
                          "(default: ASSISTANT_LLM_URL; none: extractive answers, offline)")
    llm.add_argument("--llm-model", default=None, help="the model name on that server (default: ASSISTANT_LLM_MODEL)")
    llm.add_argument("--llm-timeout", type=float, default=None,
                     help="seconds to wait for it before showing the extractive answer (default: 30)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ask", parents=[common, llm], help="answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("ingest", parents=[common],
                       help="index .txt, .md or .html files, folders of them (recursively), or http(s) links")
    p.add_argument("--glob", default="*", help="file name pattern inside folders, e.g. '*.html' (default: all)")
    p.add_argument("--batch-sentences", type=int, default=None,
                   help="sentences embedded together before they are written (default: ASSISTANT_INGEST_BATCH_SENTENCES or 2000)")
    p.add_argument("--jobs", type=int, default=None,
                   help="worker processes that read and split files beside the embedding (default: ASSISTANT_INGEST_JOBS or 1)")
    p.add_argument("--follow-links", action="store_true",
                   help="follow symbolic links found inside folders (default: leave them, and say how many)")
    p.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("documents", parents=[common], help="list indexed documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_documents)

    p = sub.add_parser("remove", parents=[common], help="remove a document")
    p.add_argument("doc_id")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("chat", parents=[common, llm], help="open the chat in the browser")
    p.add_argument("--host", default=None, help="default: ASSISTANT_HOST or 127.0.0.1")
    p.add_argument("--port", type=int, default=None, help="default: ASSISTANT_PORT or 7860")
    p.set_defaults(func=cmd_chat)

    from .evaluation.cli import add_eval_parser, add_feedback_parser

    add_eval_parser(sub, [common, llm])
    add_feedback_parser(sub, [common])

    args = parser.parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()   # inside the try: a closed pipe is reported here, not at exit
        return code
    except AssistantError as exc:
        print(terminal_safe(f"error: {exc}"), file=sys.stderr)
        return getattr(exc, "exit_code", 1)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:   # `assistant documents --json | head -1`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())

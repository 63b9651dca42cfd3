"""Feedback from the chat as a gold set: its items, what changed since each verdict, and an
export to a clean gold file (one item per question, conflicting marks reported)."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..feedback.log import FeedbackLog
from ..schema import md_text
from .evaluator import SystemResult, TurnResult
from .gold import GoldFormatError, GoldItem, parse_gold_line
from .metrics import normalise


def is_feedback_file(path: str | Path, lines: int = 50) -> bool:
    """Whether a JSONL file holds feedback records (each has a `verdict`), read from its first lines."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for _, line in zip(range(lines), f):
                try:
                    obj = json.loads(line)
                except (ValueError, RecursionError):
                    continue
                if isinstance(obj, dict) and "verdict" in obj:
                    return True
    except OSError:
        return False
    return False


@dataclass
class FeedbackSet:
    name: str
    items: list[GoldItem]                   # the records that can be scored
    records: dict[str, dict[str, Any]]      # item id -> its record
    problems: list[str] = field(default_factory=list)   # lines reported and skipped
    unlabelled: int = 0                     # thumbs down with nothing marked: kept, not scored
    every: list[dict[str, Any]] = field(default_factory=list)   # every readable record, in order


def load_feedback(path: str | Path) -> FeedbackSet:
    """The scorable records of a feedback file; a line that is not a usable record is reported
    in `problems` and skipped."""
    path = Path(path)
    lines, problems = FeedbackLog(path).read()
    items, records, unlabelled = [], {}, 0
    for number, record in lines:
        if record.get("labelled") is False:
            unlabelled += 1
            continue
        try:
            item = parse_gold_line(json.dumps(record), f"{path.name} line {number}")
        except GoldFormatError as exc:
            problems.append(f"{exc}, skipped")
            continue
        if item.id in records:
            problems.append(f"{path.name} line {number}: duplicate id {item.id!r}, skipped")
            continue
        items.append(item)
        records[item.id] = record
    if not items:
        raise GoldFormatError(f"{path.name}: no feedback to score ({len(lines)} record(s), {unlabelled} thumbs "
                              f"down with nothing marked, {len(problems)} unreadable line(s))")
    return FeedbackSet(path.name, items, records, problems, unlabelled, [record for _, record in lines])


def _signature(kind: str, text: str, quotes: list[dict]) -> tuple:
    """What a reply claims: its kind, its text and its first quote's place."""
    first = quotes[0] if quotes else None
    return (str(kind), " ".join(text.split()), first and (first["doc_id"], first["start"], first["end"]))


@dataclass
class Change:
    item_id: str
    question: str
    verdict: str
    right_now: bool      # the reply now is right by the item's label (the paired rule's reply accuracy)
    different: bool      # the reply now differs from the one the verdict was on
    reply_then: str
    reply_now: str

    @property
    def mark(self) -> str:
        if self.verdict == "up" and self.different:
            return "regression"
        if self.verdict == "down" and self.right_now:
            return "fixed"
        return ""


def _shown(kind: str, text: str, quotes: list[dict]) -> str:
    where = f" [{quotes[0]['doc_id']} {quotes[0]['start']}–{quotes[0]['end']}]" if quotes else ""
    return f"{kind}: {' '.join(text.split())[:80]}{where}"


def changes(feedback: FeedbackSet, result: SystemResult) -> list[Change]:
    """Each scored record beside the reply now: marked up and answered differently is a
    regression; marked down and now right is fixed."""
    last: dict[str, TurnResult] = {}
    for r in result.results:
        last[r.item_id] = r          # a conversation's scored turn is its last
    out = []
    for item in feedback.items:
        r, record = last.get(item.id), feedback.records[item.id]
        if r is None:
            continue
        then = record.get("reply") or {}
        then_sig = _signature(then.get("kind", ""), then.get("text", ""), then.get("quotes") or [])
        now_sig = _signature(r.answer_kind, r.answer, r.quotes)
        out.append(Change(item.id, record.get("question", ""), record["verdict"], r.right, then_sig != now_sig,
                          _shown(then.get("kind", ""), then.get("text", ""), then.get("quotes") or []),
                          _shown(r.answer_kind, r.answer, r.quotes)))
    return out


def changes_markdown(feedback: FeedbackSet, found: list[Change]) -> str:
    ups = sum(c.verdict == "up" for c in found)
    regressions = [c for c in found if c.mark == "regression"]
    fixed = [c for c in found if c.mark == "fixed"]
    lines = ["## Feedback", "",
             f"{len(found)} scored: {ups} marked up, {len(found) - ups} marked down; "
             f"{feedback.unlabelled} thumbs down with nothing marked (kept, not scored); "
             f"{len(feedback.problems)} unreadable line(s) skipped.", "",
             f"**{len(regressions)} regression(s)** (marked up, now answered differently); "
             f"**{len(fixed)} fixed** (marked down, now right).", ""]
    if found:
        lines += ["| item | question | verdict | mark | right now | reply then | reply now |",
                  "|---|---|---|---|---|---|---|"]
        for c in found:
            cells = [c.item_id, c.question, c.verdict, c.mark or "–", "yes" if c.right_now else "no",
                     c.reply_then, c.reply_now]
            lines.append("| " + " | ".join(md_text(x).replace("\n", " ") for x in cells) + " |")
    return "\n".join(lines) + "\n"


def changes_dict(feedback: FeedbackSet, found: list[Change]) -> dict[str, Any]:
    return {"unlabelled": feedback.unlabelled, "problems": feedback.problems,
            "items": [asdict(c) | {"mark": c.mark} for c in found]}


# export ---------------------------------------------------------------------------------------
def _final(record: dict) -> dict:
    return record["turns"][-1] if record.get("kind") == "conversation" else record


def _key(record: dict) -> tuple:
    asked = [t["question"] for t in record.get("turns", [])[:-1]] if record.get("kind") == "conversation" else []
    return tuple(normalise(q) for q in asked) + (normalise(_final(record).get("question", "")),)


def _label(record: dict) -> tuple:
    final = _final(record)
    kind = final.get("kind", record.get("kind"))
    return (kind, tuple(sorted({normalise(e) for e in final.get("evidence", [])})))


def _reply_label(record: dict) -> tuple | None:
    """The label of the reply a verdict was on (what a thumbs down says is wrong)."""
    reply = record.get("reply") or {}
    kind, quotes = reply.get("kind"), reply.get("quotes") or []
    if kind in ("uncertain", "abstained"):
        return ("unanswerable", ())
    if kind == "fact":
        return ("factual", (normalise(quotes[0]["text"]),)) if quotes else None
    return (kind, ()) if kind else None


def export(feedback_path: str | Path, min_verdicts: int = 1) -> tuple[list[dict], list[str]]:
    """A clean gold set from a feedback file: one item per question (with the conversation before
    it), when at least `min_verdicts` records agree on its label and no record contradicts it.
    Returns the items and one line for each question left out and why."""
    feedback = load_feedback(feedback_path)
    groups: dict[tuple, list[dict]] = {}
    for record in feedback.every:
        groups.setdefault(_key(record), []).append(record)
    items, notes = [], list(feedback.problems)
    for key, records in groups.items():
        question = _final(records[0]).get("question", "")
        labelled = [r for r in records if r["id"] in feedback.records]
        labels = Counter(_label(r) for r in labelled)
        rejected = {_reply_label(r) for r in records if r["verdict"] == "down"}
        if not labels:
            notes.append(f"{question!r}: only thumbs down with nothing marked, left out")
            continue
        if len(labels) > 1 or next(iter(labels)) in rejected:
            said = "; ".join(f"{n} say {kind}{' ' + repr(ev[0][:60]) if ev else ''}" for (kind, ev), n in labels.items())
            against = sum(1 for r in records if r["verdict"] == "down" and _reply_label(r) in labels)
            notes.append(f"conflicting marks for {question!r}: {said}" +
                         (f"; {against} thumbs down on that reply" if against else "") + ", left out")
            continue
        if len(labelled) < min_verdicts:
            notes.append(f"{question!r}: {len(labelled)} verdict(s), fewer than {min_verdicts}, left out")
            continue
        items.append(_merged(key, labelled))
    return items, notes


def _merged(key: tuple, records: list[dict]) -> dict:
    first = records[0]
    final = dict(_final(first))
    short = [r["answer_text"] for r in records if r.get("answer_text")]
    answers = short or [a for r in records for a in _final(r).get("answers", [])]
    final["answers"] = list(dict.fromkeys(answers)) if final.get("kind") not in ("unanswerable",) else []
    item: dict[str, Any] = {"id": "fb-" + hashlib.sha1(repr(key).encode()).hexdigest()[:12]}
    if first.get("kind") == "conversation":
        item |= {"kind": "conversation", "turns": first["turns"][:-1] + [final]}
    else:
        item |= {k: final[k] for k in ("kind", "question", "answers", "evidence")}
    doc_ids = Counter(r.get("doc_id") for r in records if r.get("doc_id"))
    if doc_ids:
        item["doc_id"] = doc_ids.most_common(1)[0][0]
    if not short and any(r.get("answer_type") == "sentence" for r in records):
        item["answer_type"] = "sentence"
    item["verdicts"] = len(records)
    return item

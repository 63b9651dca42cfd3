"""Gold sets: JSONL items of kind factual, adversarial, unanswerable or conversation, and the
whole-article kinds (summary, about, mentions, not_mentioned, entities, more, source): the reply
must be of that kind (`Answer.kind`), hold one of `answers` (if any) and quote one of `evidence`
(if any). A conversation turn may name its kind too ("kind": "more", "unanswerable"); a turn
marked `"context": true` is asked to build the conversation, as the person asked it, and not scored.
`answer_type` "sentence": no short answer was given, the evidence sentence stands for it (the
short-answer metrics leave the item out)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..schema import FACT_REPLY_KINDS, AnswerKind
from ..errors import AssistantError

FACT_KINDS = ("factual", "adversarial", "unanswerable")
# The reply kinds a whole-article request gets (`AnswerKind`, by value).
WHOLE_ARTICLE_KINDS = tuple(k.value for k in AnswerKind if k not in FACT_REPLY_KINDS)
KINDS = FACT_KINDS + ("conversation",) + WHOLE_ARTICLE_KINDS


class GoldFormatError(AssistantError):
    """A gold file that cannot be used; the message names the line."""


@dataclass
class Turn:
    question: str
    answers: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    kind: str = "factual"          # what the reply must be: a fact, "unanswerable", or a whole-article kind
    context: bool = False          # asked for the conversation only, not scored

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass
class GoldItem:
    id: str
    kind: str
    question: str = ""
    answers: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    doc_id: str | None = None
    turns: list[Turn] = field(default_factory=list)
    answer_type: str = "span"     # "span": copied from the text; "mc": written options; "sentence": see above

    def as_turns(self) -> list[Turn]:
        return self.turns or [Turn(self.question, self.answers, self.evidence, self.kind)]


def _strings(value, where: str, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise GoldFormatError(f"{where}: '{name}' must be a list of strings")
    return value


ANSWER_TYPES = ("span", "mc", "sentence")
TURN_KINDS = ("factual", "unanswerable") + WHOLE_ARTICLE_KINDS


def _turn(obj: dict, where: str, unanswerable: bool, kind: str = "factual") -> Turn:
    if not isinstance(obj.get("question"), str) or not obj["question"].strip():
        raise GoldFormatError(f"{where}: missing field 'question'")
    if obj.get("context") is True:
        return Turn(obj["question"], context=True)
    kind = obj.get("kind", kind)
    if kind not in TURN_KINDS:
        raise GoldFormatError(f"{where}: a turn's kind must be one of {', '.join(TURN_KINDS)}")
    unanswerable = unanswerable or kind == "unanswerable"
    whole = kind in WHOLE_ARTICLE_KINDS
    for key in ("answers", "evidence"):
        if key not in obj and not whole:
            raise GoldFormatError(f"{where}: missing field '{key}'")
    turn = Turn(obj["question"], _strings(obj.get("answers", []), where, "answers"),
                _strings(obj.get("evidence", []), where, "evidence"), kind)
    if not unanswerable and not whole and not (turn.answers and turn.evidence):
        raise GoldFormatError(f"{where}: an answerable item needs non-empty 'answers' and 'evidence'")
    if kind == "unanswerable" and (turn.answers or turn.evidence):
        raise GoldFormatError(f"{where}: an unanswerable item must have empty 'answers' and 'evidence'")
    return turn


def parse_gold_line(line: str, where: str) -> GoldItem:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise GoldFormatError(f"{where}: invalid JSON ({exc.msg})") from None
    except RecursionError:
        raise GoldFormatError(f"{where}: invalid JSON (nested too deeply)") from None
    except ValueError as exc:     # e.g. a number of more than 4,300 digits
        raise GoldFormatError(f"{where}: invalid JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise GoldFormatError(f"{where}: expected a JSON object")
    kind = obj.get("kind")
    if kind not in KINDS:
        raise GoldFormatError(f"{where}: unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    item_id = obj.get("id")
    if not isinstance(item_id, str) or not item_id:
        raise GoldFormatError(f"{where}: missing field 'id'")
    answer_type = obj.get("answer_type", "span")
    if answer_type not in ANSWER_TYPES:
        raise GoldFormatError(f"{where}: answer_type must be one of {', '.join(ANSWER_TYPES)}")
    if kind == "conversation":
        turns = obj.get("turns")
        if not isinstance(turns, list) or len(turns) < 2:
            raise GoldFormatError(f"{where}: a conversation needs 'turns', a list of at least 2")
        parsed = [_turn(t if isinstance(t, dict) else {}, f"{where} turn {i + 1}", False)
                  for i, t in enumerate(turns)]
        if all(t.context for t in parsed):
            raise GoldFormatError(f"{where}: a conversation needs a turn that is not 'context'")
        return GoldItem(id=item_id, kind=kind, turns=parsed, doc_id=obj.get("doc_id"), answer_type=answer_type)
    whole = kind in WHOLE_ARTICLE_KINDS
    turn = _turn({**obj, "kind": kind if whole or kind == "unanswerable" else "factual", "context": None},
                 where, kind == "unanswerable")
    return GoldItem(id=item_id, kind=kind, question=turn.question, answers=turn.answers,
                    evidence=turn.evidence, doc_id=obj.get("doc_id"), answer_type=answer_type)


def load_gold(path: str | Path) -> list[GoldItem]:
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"{path}: cannot read ({exc})") from None
    items, seen = [], set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        item = parse_gold_line(line, f"{path.name} line {number}")
        if item.id in seen:
            raise GoldFormatError(f"{path.name} line {number}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise GoldFormatError(f"{path.name}: no gold items (the file is empty)")
    return items

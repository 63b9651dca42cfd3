"""The short answer drawn from the best quote: the phrase that fits what the question asks.

- "What does X stand for?": the words that spell X out.
- "Who is X?" / "What is X's job?": the description next to X in the sentence (its title or
  appositive: "UN envoy" for "... UN envoy Karl Berg"), never
  another name.
- A question of a known type (person, place, date, number...): an entity of that type that is not
  the question's own words; a list question takes every such entity in a row ("the US, Russia and
  Ukraine"); a number keeps its unit noun when the question does not name it ("19 nations").
- Otherwise the quote itself.
"""
from __future__ import annotations

import re

from ..text import en
from ..text.acronyms import asked_acronym, spelled_out
from ..text.terms import terms
from ..readers.span_reader import SpanReader
from ..text.entities import answer_entities, entities, parse


def describe(name: str, sentence: str) -> str | None:
    """The title or appositive of `name` in `sentence`, from the dependency parse."""
    start = sentence.find(name)
    if start < 0:
        last = name.split()[-1]
        start = sentence.find(last)
        if start < 0:
            return None
        name = last
    doc = parse(sentence)
    inside = [t for t in doc if start <= t.idx < start + len(name)]
    if not inside:
        return None
    head = next((t for t in inside if t.head not in inside or t.head == t), inside[-1])
    parts = []
    # Left modifiers of the name that are not the name: "US Deputy Secretary of State", "his counterpart".
    left = [t for t in head.lefts if t not in inside and t.dep_ in ("compound", "amod", "nmod", "poss", "appos", "det")]
    if left:
        tokens = sorted({w for t in left for w in t.subtree if w not in inside and w.i < inside[0].i},
                        key=lambda w: w.i)
        if tokens and tokens[-1].i == inside[0].i - 1:
            parts.append(doc[tokens[0].i:tokens[-1].i + 1].text)
    for t in head.rights:   # "X, the former minister, said"
        if t.dep_ == "appos":
            parts.append(doc[t.left_edge.i:t.right_edge.i + 1].text)
    if not parts and head.dep_ in ("appos",) and head.head.ent_type_ == "":
        parts.append(doc[head.head.left_edge.i:head.head.i + 1].text)
    if not parts and head.dep_ == "nsubj":   # "X is the minister of ..."
        verb = head.head
        if verb.lemma_ == "be":
            attr = [t for t in verb.rights if t.dep_ in ("attr", "acomp")]
            if attr:
                parts.append(doc[attr[0].left_edge.i:attr[0].right_edge.i + 1].text)
    text = ", ".join(p.strip(" ,") for p in parts if p.strip(" ,"))
    text = re.sub(r"^(the|a|an)\s+", "", text, flags=re.IGNORECASE) if len(text.split()) > 1 else text
    return text or None


def _names_someone(name: str, sentence: str) -> bool:
    """Whether `name` is a name in the sentence ("Who is Jane Doe?"), not a description
    ("Who is the bank's chief executive?", whose answer is a name)."""
    low = name.lower()
    return any(label in ("PERSON", "ORG") and (low in ent.lower() or (ent.lower() in low and
                                                                      len(ent) >= 0.6 * len(name)))
               for ent, label, _, _ in entities(sentence))


def _described_as(question: str, sentence: str, people: list[tuple[str, int, int, int]]) -> str | None:
    """The one name in `people` whose title or appositive shares the most words with the question
    ("Who is the country's vice foreign minister?" -> the name after "Vice Foreign Minister"), if any
    shares a word; the reader alone tends to pick the last name of the sentence."""
    q_terms = set(terms(question))
    overlap = {ent: len(set(terms(describe(ent, sentence) or "")) & q_terms) for ent, _, _, _ in people}
    best = max(overlap.values())
    winners = [ent for ent, n in overlap.items() if n == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _number_with_unit(sentence: str, start: int, end: int, q_terms: set[str]) -> str:
    """'19' -> '19 nations' when the question does not name the counted noun itself (a plural noun
    right after the number)."""
    doc = parse(sentence)
    tokens = [t for t in doc if start <= t.idx < end]
    if not tokens:
        return sentence[start:end]
    head = tokens[-1].head
    if (tokens[-1].dep_ == "nummod" and head.i == tokens[-1].i + 1 and head.tag_ == "NNS"
            and not set(terms(head.text)) & q_terms):
        return sentence[start:head.idx + len(head.text)]
    return sentence[start:end]


def _entity_run(sentence: str, found: list[tuple[str, int, int, int]]) -> str:
    """Entities in one comma/and-separated run: 'the US, Russia, Australia and Ukraine'."""
    found = sorted(found, key=lambda f: f[2])
    best = [found[0]]
    run = [found[0]]
    for prev, cur in zip(found, found[1:]):
        gap = sentence[prev[3]:cur[2]]
        if re.fullmatch(r"\s*(,|,?\s*and|,?\s*or)\s*(the\s+)?", gap):
            run.append(cur)
        else:
            run = [cur]
        if len(run) > len(best):
            best = list(run)
    start, end = best[0][2], best[-1][3]
    if len(best) == 1:
        return best[0][0]
    # A counted noun the list belongs to: "19 nations including the US, Russia and Ukraine".
    doc = parse(sentence)
    first = next((t for t in doc if t.idx >= start), None)
    node = first
    for _ in range(3):
        if node is None or node.head == node:
            break
        node = node.head
        count = [c for c in node.lefts if c.dep_ == "nummod"]
        if node.pos_ == "NOUN" and count and count[0].idx < start:
            return sentence[count[0].idx:end]
    return sentence[start:end]


def asks_for_list(question: str) -> bool:
    """'Which countries ...?', 'What new weapons ...?', 'Name the ...': a plural noun is asked for."""
    if en.LIST_QUESTION.search(question):
        return True
    tokens = list(parse(question))
    for i, t in enumerate(tokens[:-1]):
        if t.lower_ in en.WHICH:
            nxt = tokens[i + 1]
            after = tokens[i + 2] if i + 2 < len(tokens) else None
            return nxt.tag_ == "NNS" or (nxt.pos_ == "ADJ" and after is not None and after.tag_ == "NNS")
    return False


def short_answer(question: str, quote: str, labels: tuple[str, ...], reader: SpanReader | None = None) -> str:
    """The rules for question forms with a known shape first (an acronym spelled out, "Who is X?",
    a list of names); then the learned `reader`'s span, among the entities of the expected type
    when there are any; without a reader, the entity of the expected type nearest the question's
    words."""
    acronym = asked_acronym(question)
    full_name = spelled_out(quote, acronym) if acronym else None
    if full_name:
        return full_name
    who = en.WHO_IS.match(question) or en.ROLE_OF.match(question)
    if who and _names_someone(who.group("name").strip(), quote):
        description = describe(who.group("name").strip(), quote)
        if description:
            return description
    found = answer_entities(quote, labels, set(terms(question))) if labels else []
    best_rank = min((f[1] for f in found), default=None)
    typed = [f for f in found if f[1] == best_rank]      # of the type the question wants most
    if len(typed) > 1 and asks_for_list(question):
        return _entity_run(quote, typed)
    if len(typed) > 1 and labels[0] == "PERSON" and not en.PLURAL_WHO.search(question):
        described = _described_as(question, quote, typed)
        if described:
            return described
    if reader is not None:
        # The type the question asks for narrows the reader's choice, unless it is clearly surer of another span.
        span = reader.read(question, quote, [(f[2], f[3]) for f in typed])
        if labels and labels[0] == "CARDINAL" and re.fullmatch(r"[\d.,]+", span.text(quote)):
            return _number_with_unit(quote, span.start, span.end, set(terms(question)))
        return span.text(quote)
    return _nearest_entity(question, quote, labels, found) if found else quote


def _nearest_entity(question: str, quote: str, labels: tuple[str, ...], found: list) -> str:
    q_terms = set(terms(question))
    words = quote.split()
    anchors = [i for i, tok in enumerate(words) if set(terms(tok)) & q_terms] or [0]

    def distance(position: int) -> int:
        index = len(quote[:position].split())
        return min(abs(index - a) for a in anchors)

    # "In which city ...?" is answered by a name after "in", "Where ...?" by one after a place
    # preposition ("in Paris", not the "UN" of "UN envoy"): prefer those.
    lead = en.LEADING_PREPOSITION.match(question)
    prepositions = ({lead.group(1).lower()} if lead
                    else en.PLACE_PREPOSITIONS if re.search(r"\bwhere\b", question, re.IGNORECASE) else set())

    def after_preposition(position: int) -> bool:
        before = quote[:position].split()
        return bool(before) and before[-1].lower() in prepositions

    ent, _, start, end = min(found, key=lambda f: (f[1], bool(prepositions) and not after_preposition(f[2]),
                                                   distance(f[2])))
    if labels and labels[0] == "CARDINAL":
        return _number_with_unit(quote, start, end, q_terms)
    return ent

"""Reading a language model's citations: "[2]", "[2, 5]", "[2][5]" name the numbered sentences it
was given. Only numbers that were given count; the text is renumbered so that [1] is the first
quote shown under it."""
from __future__ import annotations

import re
from dataclasses import dataclass

_CITE = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")


@dataclass(frozen=True)
class Cited:
    text: str            # the answer with only valid citations, renumbered 1..len(sources)
    sources: list[int]   # 0-based positions of the cited sentences, in order of first citation
    dropped: int         # citations to numbers that were not given


def read_citations(reply: str, given: int, limit: int = 3) -> Cited:
    """`given`: how many sentences were numbered (1..given); at most `limit` distinct ones are kept."""
    sources: list[int] = []
    dropped = 0

    def renumber(match: re.Match) -> str:
        nonlocal dropped
        kept = []
        # a number longer than any list of sentences is not a citation (and int() of 5,000 digits raises)
        for number in (int(n) if len(n) <= 6 else 0 for n in re.split(r"\s*[,;]\s*", match.group(1))):
            if not 1 <= number <= given:
                dropped += 1
                continue
            if number - 1 not in sources and len(sources) < limit:
                sources.append(number - 1)
            if number - 1 in sources:
                kept.append(sources.index(number - 1) + 1)
        return "".join(f"[{n}]" for n in dict.fromkeys(kept))

    text = _CITE.sub(renumber, reply)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
    return Cited(text, sources, dropped)

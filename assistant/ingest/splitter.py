"""Split stored text into sentences with exact character offsets into the text as given.

Paragraphs are found first (blank lines; in one-line-per-paragraph sources, a line that ends a
sentence followed by one that starts one), then pysbd's rules split each paragraph; small
repairs follow for news text: a closing quote mark belongs to the sentence it closes, and a
split after a lone abbreviation-like token ("U.S.") that does not start a new sentence is undone.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..schema import Passage, Sentence, Span

CLOSERS = "\"”’'»)]"
TERMINAL = ".!?\"”’:;)"
_BLOCK = re.compile(r"\S(?:.*?\S)?(?=[^\S\n]*\n[^\S\n]*\n|\s*$)", re.DOTALL)   # blocks between blank lines
_LINE = re.compile(r"[^\n]+")
# pysbd reads at most WINDOW characters at once; a run of more than MAX_RUN characters with no mark
# that may end a sentence is cut at word boundaries. In the shared sets' texts the longest such run
# is 763 characters and the longest paragraph 9,616, so all of them split as before.
WINDOW = 10_000
MAX_RUN = 1000
_RUN = re.compile(r"[^.!?…\n]{%d,}" % (MAX_RUN + 1))
_LAST_SPACE = re.compile(r".*\s", re.DOTALL)


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    # pysbd passes its patterns to `re` as strings, several hundred per paragraph: more than the
    # 512 compiled patterns `re` keeps, so each was compiled again every time. Measured on 600
    # texts of the shared sets: splitting 2.8 s -> 2.1 s with a larger cache.
    re._MAXCACHE = max(getattr(re, "_MAXCACHE", 0), 4096)

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _segment(para: str) -> list[str]:
    r"""`pysbd.Segmenter.segment` (clean=False, char_span=False), its sentences located with
    `str.find` instead of one compiled regex per sentence (`re.escape(sentence) + r"\s*"`), which
    took half of the splitting time. Same result: the first match (sentence and the whitespace after
    it, matches not overlapping) that ends past the previous one."""
    segmenter = _segmenter()
    sentences = segmenter.processor(para).process()
    if not all(sentences):   # an empty match has rules of its own: pysbd's path
        return segmenter.segment(para)
    out, prior_end = [], 0
    for sent in sentences:
        pos = para.find(sent)
        while pos >= 0:
            end = pos + len(sent)
            while end < len(para) and para[end].isspace():
                end += 1
            if end > prior_end:
                out.append(para[pos:end])
                prior_end = end
                break
            pos = para.find(sent, end)
    return out


def paragraph_spans(text: str) -> list[Span]:
    """Paragraphs of the text, without their outer whitespace. Inside a block of lines, a line
    ending a sentence next to a line starting one starts a new paragraph; a hard-wrapped line
    continues its paragraph (and the quote keeps its line break: the text is never rewritten)."""
    out: list[Span] = []
    for block in _BLOCK.finditer(text):
        start = end = None
        previous = ""
        for line in _LINE.finditer(block.group(0)):
            stripped = line.group(0).strip()
            if not stripped:
                continue
            lead = len(line.group(0)) - len(line.group(0).lstrip())
            s = block.start() + line.start() + lead
            e = s + len(stripped)
            starts_sentence = stripped[:1].isupper() or stripped[:1] in "\"“‘'"
            if start is not None and previous[-1:] in TERMINAL and starts_sentence:
                out.append(Span(start, end))
                start = None
            start = s if start is None else start
            end, previous = e, stripped
        if start is not None:
            out.append(Span(start, end))
    return out


def _split_piece(para: str) -> list[tuple[int, int]]:
    """Offsets (relative to para) of its sentences, by pysbd and the repairs."""
    pieces = _segment(para)
    spans: list[list[int]] = []
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        start = para.find(piece, cursor)
        if start < 0:  # pysbd altered the text; fall back to the whole rest as one sentence
            spans.append([cursor, len(para)])
            cursor = len(para)
            break
        spans.append([start, start + len(piece)])
        cursor = start + len(piece)
    # A piece made only of closing quotes/brackets belongs to the previous sentence.
    merged: list[list[int]] = []
    for s, e in spans:
        fragment = para[s:e]
        if merged and (all(ch in CLOSERS + " " for ch in fragment) or fragment[:1].islower()):
            merged[-1][1] = e
        else:
            merged.append([s, e])
    return [span for s, e in merged if (span := _strip(para, s, e))]


def _strip(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


def _word_cut(text: str, start: int, limit: int) -> int:
    """Where to end a piece of `text` that starts at `start` and may hold `limit` characters: after
    its last whitespace, or at `limit` for a piece with none."""
    space = _LAST_SPACE.match(text, start + 1, start + limit)
    return space.end() if space else start + limit


def _windows(para: str) -> list[tuple[int, int]]:
    """pysbd over at most WINDOW characters at a time (its time grows with the square of its
    input): the sentences of a window but its last, which may be cut short, then on from that
    one's start. A window holding one unfinished sentence is cut at a word boundary."""
    out: list[tuple[int, int]] = []
    pos = 0
    while pos < len(para):
        last = len(para) - pos <= WINDOW
        spans = _split_piece(para[pos:] if last else para[pos:pos + WINDOW])
        if last:
            out += [(pos + s, pos + e) for s, e in spans]
            break
        if len(spans) > 1:
            out += [(pos + s, pos + e) for s, e in spans[:-1]]
            pos += spans[-1][0]
        else:
            cut = _word_cut(para, pos, WINDOW)
            if span := _strip(para, pos, cut):
                out.append(span)
            pos = cut
    return out


def _split_paragraph(para: str) -> list[tuple[int, int, bool]]:
    """Offsets (relative to para) of its sentences, and whether each was cut from a run of more than
    MAX_RUN characters with no sentence-ending mark (text without punctuation, a pasted table). Such
    a run is cut at word boundaries, and pysbd never reads it: splitting stays linear in the text's
    length."""
    out: list[tuple[int, int, bool]] = []
    pos = 0
    for run in _RUN.finditer(para):
        if run.start() > pos:
            out += [(pos + s, pos + e, False) for s, e in _windows(para[pos:run.start()])]
            pos = run.start()
        while run.end() - pos > MAX_RUN:     # the run's rest is read with the text after it
            cut = _word_cut(para, pos, MAX_RUN)
            if span := _strip(para, pos, cut):
                out.append((*span, True))
            pos = cut
    if pos < len(para):
        out += [(pos + s, pos + e, False) for s, e in _windows(para[pos:])]
    return out


def split_sentences(text: str, doc_id: str = "", paragraphs: list[Span] | None = None) -> list[Sentence]:
    sentences: list[Sentence] = []
    for p in paragraph_spans(text) if paragraphs is None else paragraphs:
        p_start = p.start
        for s, e, cut in _split_paragraph(text[p.start:p.end]):
            span = Span(p_start + s, p_start + e)
            sentences.append(Sentence(doc_id, len(sentences), span, text[span.start:span.end], cut))
    return sentences


def group_passages(text: str, sentences: list[Sentence], short: int = 300, long: int = 1000) -> list[Passage]:
    """Consecutive sentences as passages: a paragraph, short paragraphs (news has many one-sentence
    ones) joined until the passage has `short` characters, long ones cut before `long`."""
    starts = sorted(p.start for p in paragraph_spans(text))
    passages: list[Passage] = []
    first = 0
    for i, s in enumerate(sentences):
        nxt = sentences[i + 1] if i + 1 < len(sentences) else None
        start = sentences[first].span.start
        j = bisect.bisect_right(starts, s.span.end)
        paragraph_ends = nxt is None or (j < len(starts) and starts[j] <= nxt.span.start)
        if nxt is None or (paragraph_ends and s.span.end - start >= short) or nxt.span.end - start > long:
            passages.append(Passage(s.doc_id, len(passages), first, i, Span(start, s.span.end)))
            first = i + 1
    return passages


_WORD = re.compile(r"\S+")


def sentence_windows(sentences: list[Sentence], size: int = 16, stride: int = 8) -> list[Passage]:
    """Overlapping windows of `size` words inside each long sentence. A question about one clause
    of a 50-word sentence matches its window far better than the whole (MiniLM averages over all
    tokens): on XQuAD, sentence-only top-1 0.698, blended with the best window 0.729."""
    windows: list[Passage] = []
    for s in sentences:
        if s.cut:      # unpunctuated text: windows would triple its embedding time; BM25 still reads it
            continue
        words = list(_WORD.finditer(s.text))
        if len(words) <= size + stride // 2:
            continue
        for first in range(0, len(words), stride):
            chunk = words[first:first + size]
            span = Span(s.span.start + chunk[0].start(), s.span.start + chunk[-1].end())
            windows.append(Passage(s.doc_id, len(windows), s.index, s.index, span))
            if first + size >= len(words):
                break
    return windows


def indexed_sentences(text: str, doc_id: str, paragraphs: list[Span] | None = None) -> list[Sentence]:
    """The sentences that get vectors, numbered from 0: those of `paragraphs` (what ingest kept:
    no title line, boilerplate, byline or date line), or of every paragraph but the byline and
    date line."""
    from dataclasses import replace

    from .metadata import unindexed_spans

    skip = [] if paragraphs is not None else unindexed_spans(text)
    kept = [s for s in split_sentences(text, doc_id, paragraphs)
            if not any(sp.start <= s.span.start and s.span.end <= sp.end for sp in skip)]
    return [replace(s, index=i) for i, s in enumerate(kept)]

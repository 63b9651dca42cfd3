"""HTML of a stored document with the quoted sentences highlighted at their offsets; every
sentence carries its offsets, so a click can name it (the right sentence, in feedback)."""
from __future__ import annotations

import html
from typing import Sequence

from ..schema import Document, Quote, Span

# The article reports a click on a sentence or a quote with its offsets.
CLICK_JS = """
element.addEventListener('click', (event) => {
  const span = event.target.closest('[data-start]');
  const article = event.target.closest('.article');
  if (!span || !article) return;
  trigger('click', {doc_id: article.dataset.docId, start: Number(span.dataset.start), end: Number(span.dataset.end)});
});
"""


def render_article(doc: Document | None, quotes: list[Quote] = (), closest: bool = False,
                   sentences: Sequence[Span] = (), picked: Span | None = None) -> str:
    """The article with the quotes marked; `closest`: they are the closest passages to a question
    the article may not answer ("not sure"), marked apart from answers. `sentences`: the spans
    that can be clicked; `picked`: the one a person marked as right."""
    if doc is None:
        return "<div id='article-empty'>No document yet: upload an article.</div>"
    marks, cursor = [], 0
    for start, end in sorted({(q.start, q.end) for q in quotes if q.doc_id == doc.id}):
        if start >= cursor:
            marks.append((start, end))
            cursor = end
    out, cursor = [], 0
    for n, (start, end) in enumerate(marks, 1):
        out.append(_sentences(doc.text, cursor, start, sentences, picked))
        kind, title = ("quote closest", f"closest passage {n}") if closest else ("quote", f"quote {n}")
        if picked == Span(start, end):
            kind += " picked"
        out.append(f"<mark class='{kind}' data-start='{start}' data-end='{end}' title='{title}'>"
                   f"{html.escape(doc.text[start:end])}</mark>")
        cursor = end
    out.append(_sentences(doc.text, cursor, len(doc.text), sentences, picked))
    body = "".join(out).replace("\n\n", "</p><p>").replace("\n", "<br>")
    author = doc.metadata.get("author")
    shown = author and str(author) not in doc.text   # a byline kept in the text shows there
    byline = f"<div class='byline'>By {html.escape(str(author))}</div>" if shown else ""
    return (f"<div class='article' data-doc-id='{html.escape(doc.id)}'><h3>{html.escape(doc.title)}</h3>"
            f"{byline}<p>{body}</p></div>")


def _sentences(text: str, start: int, end: int, sentences: Sequence[Span], picked: Span | None) -> str:
    """text[start:end] with each whole sentence inside it wrapped in a span naming its offsets."""
    out, cursor = [], start
    for s in sentences:
        if s.start < cursor or s.end > end:
            continue
        out.append(html.escape(text[cursor:s.start]))
        kind = "sentence picked" if picked == Span(s.start, s.end) else "sentence"
        out.append(f"<span class='{kind}' data-start='{s.start}' data-end='{s.end}'>{html.escape(text[s.start:s.end])}</span>")
        cursor = s.end
    out.append(html.escape(text[cursor:end]))
    return "".join(out)

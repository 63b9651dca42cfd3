"""HTML of a stored document with the quoted sentences highlighted at their offsets."""
from __future__ import annotations

import html

from ..schema import Document, Quote


def render_article(doc: Document | None, quotes: list[Quote] = (), closest: bool = False) -> str:
    """The article with the quotes marked; `closest`: they are the closest passages to a question
    the article may not answer ("not sure"), marked apart from answers."""
    if doc is None:
        return "<div id='article-empty'>No document yet: upload an article.</div>"
    spans = sorted({(q.start, q.end) for q in quotes if q.doc_id == doc.id})
    out, cursor = [], 0
    for n, (start, end) in enumerate(spans, 1):
        if start < cursor:
            continue
        out.append(html.escape(doc.text[cursor:start]))
        kind, title = ("quote closest", f"closest passage {n}") if closest else ("quote", f"quote {n}")
        out.append(f"<mark class='{kind}' data-start='{start}' data-end='{end}' title='{title}'>"
                   f"{html.escape(doc.text[start:end])}</mark>")
        cursor = end
    out.append(html.escape(doc.text[cursor:]))
    body = "".join(out).replace("\n\n", "</p><p>").replace("\n", "<br>")
    author = doc.metadata.get("author")
    shown = author and str(author) not in doc.text   # a byline kept in the text shows there
    byline = f"<div class='byline'>By {html.escape(str(author))}</div>" if shown else ""
    return (f"<div class='article' data-doc-id='{html.escape(doc.id)}'><h3>{html.escape(doc.title)}</h3>"
            f"{byline}<p>{body}</p></div>")

"""The browser chat: Gradio over `Assistant`. Presentation only; answers come from the service."""
from __future__ import annotations

import itertools
import json
import logging
from pathlib import Path
from typing import Iterator

import gradio as gr

from ..errors import AssistantError
from ..schema import Answer, AnswerKind, md_text
from ..service import Assistant, file_doc_id
from .article_view import CLICK_JS, render_article
from .feedback_panel import FeedbackPanel, feedback_endpoint

log = logging.getLogger(__name__)


def examples(seeds_dir: Path) -> list[str]:
    """Example questions for the seed articles, from `seeds/examples.json` when it exists."""
    path = seeds_dir / "examples.json"
    try:
        return [str(q) for q in json.loads(path.read_text(encoding="utf-8"))][:6]
    except (OSError, ValueError, TypeError):
        return []

CSS = """
mark.quote { background: #ffe58a; padding: 0 2px; border-radius: 3px; }
mark.quote.closest { background: none; outline: 2px dashed #b0a060; }
.article { max-height: 620px; overflow-y: auto; line-height: 1.5; }
.byline { color: #666; font-size: 0.9em; }
#follow-ups { gap: 6px; }
#follow-ups button.chip { flex: 0 1 auto; min-width: 0; border-radius: 999px; }
.article .sentence:hover, .article mark:hover { text-decoration: underline dotted; }
.article .picked { background: #d6f5df; outline: 2px solid #3a9; border-radius: 3px; }
"""
MAX_CHIPS = 3
MAX_SESSIONS = 10_000     # sessions whose last question is remembered (for stopping their chips)
SCROLL_TO_QUOTE = "() => document.querySelector('#article mark.quote')?.scrollIntoView({block: 'center'})"
# System fonts only: the default theme would fetch fonts from the internet.
THEME = gr.themes.Soft(font=["ui-sans-serif", "system-ui", "sans-serif"],
                       font_mono=["ui-monospace", "monospace"])


def _growing(pieces) -> Iterator[str | Answer]:
    """The reply so far as Markdown (a language model's words as they arrive), then the final `Answer`."""
    text = ""
    for piece in pieces:
        if isinstance(piece, Answer):
            yield piece
        else:
            text += piece
            yield md_text(text)


def build_app(bot: Assistant) -> gr.Blocks:
    def doc_choices():
        return [(f"{d.title} ({d.id})", d.id) for d in bot.documents()]

    def article_html(doc_id, quotes=(), closest=False, picked=None):
        doc = bot.find_document(doc_id)
        sentences = [x.span for x in bot.sentences(doc.id)] if doc is not None else []
        return render_article(doc, quotes, closest, sentences, picked)

    def reply(message: str, history: list[dict], doc_ids: list[str] | None,
              viewing: str | None = None) -> Iterator[str | Answer]:
        return _growing(bot.stream(message, history=history, doc_ids=doc_ids or None, viewing=viewing))

    no_chips = [gr.update(visible=False)] * MAX_CHIPS

    # The number of the last question asked in each browser session: chips still being found for
    # an earlier question stop between two suggestions.
    latest: dict[str, int] = {}
    numbers = itertools.count(1)

    def respond(message, shown, doc_ids, viewed, conversation, replies, request: gr.Request):
        """`shown`: the chat as displayed; `conversation`: the same turns as data, each reply with
        the quotes it showed (what "tell me more" goes on from); `replies`: message number -> the
        reply shown there and the conversation before it (what feedback is about)."""
        before, said = list(shown or []), list(conversation or [])
        session, number = request.session_hash or "", next(numbers)
        latest.pop(session, None)
        latest[session] = number
        while len(latest) > MAX_SESSIONS:     # the oldest sessions first
            latest.pop(next(iter(latest)))
        history = before + [{"role": "user", "content": message}, {"role": "assistant", "content": ""}]
        try:
            for answer in reply(message, said, doc_ids, viewed or None):
                if isinstance(answer, str):
                    history[-1] = {"role": "assistant", "content": answer + " ▌"}
                    yield history, "", gr.update(), "Writing…", gr.update(), None, said, replies, *no_chips
        except AssistantError as exc:
            yield before, message, gr.update(), f"⚠️ {md_text(str(exc))}", gr.update(), None, said, replies, *no_chips
            return
        history[-1] = {"role": "assistant", "content": answer.markdown()}
        said += [{"role": "user", "content": message}, answer.as_message()]
        doc_id = answer.quotes[0].doc_id if answer.quotes else viewed
        status = ("Not in the article: nothing highlighted." if answer.kind == AnswerKind.ABSTAINED else
                  f"Not sure: {len(answer.quotes)} closest passage(s) outlined in the article, not an answer."
                  if answer.closest else
                  f"{len(answer.quotes)} quote(s) highlighted in the article." if answer.quotes else
                  "No quote to highlight.")
        if answer.notice:
            status = f"⚠️ {md_text(answer.notice)} {status}"
        replies = {**(replies or {}), len(history) - 1: (answer, said[:-2])}
        yield (history, "", article_html(doc_id, answer.quotes, answer.closest), status, gr.update(value=doc_id),
               (answer, said[:-2], doc_ids, session, number), said, replies, *no_chips)

    def follow_ups(last):
        """Chips under the answer, after it is shown, each as soon as it has been asked; they stop
        being asked (between two) once another question is asked in the same session."""
        if not last:
            yield no_chips
            return
        answer, before, doc_ids, session, number = last
        current = lambda: latest.get(session) == number   # noqa: E731
        found: list[str] = []
        try:
            for q in bot.suggestions(answer, before, doc_ids or None):
                if not current():
                    break
                found.append(q)
                yield [gr.update(value=x, visible=True) for x in found] + no_chips[len(found):]
                if len(found) == MAX_CHIPS or not current():
                    return
        except AssistantError:
            pass
        if not found:     # none to show; a later question's chips are its own
            yield no_chips if current() else [gr.update()] * MAX_CHIPS

    def took_offer(text, last):
        """A chip that is the request offered under the last reply: keep that its question meant it
        (the person's own phrasing of that request, for retraining the intent classifier)."""
        if not last or not bot.settings.keep_requests:
            return
        answer, before = last[0], last[1]
        offer = bot.offered(answer)
        if offer is not None and offer.text == text:
            try:
                bot.record_request(answer, offer.label, history=before)
            except AssistantError as exc:     # already kept, or the file cannot be written: the chat goes on
                log.warning("request not kept: %s", exc)

    def ask_named(asking, shown, doc_ids, viewed, conversation, replies, request: gr.Request):
        """The request named in the 👎 panel, asked as the next question (nothing when none was)."""
        if not asking:
            yield (gr.update(),) * len(outputs)
            return
        yield from respond(asking, shown, doc_ids, viewed, conversation, replies, request)

    def chips_after_named(asking, last):
        if not asking:
            yield [gr.update()] * MAX_CHIPS
            return
        yield from follow_ups(last)

    def view(doc_id):
        return article_html(doc_id)

    def upload(path):
        if not path:
            return gr.update(), gr.update(), gr.update(), "", None
        name = Path(path).name
        try:
            n = bot.add_file(path)
        except AssistantError as exc:
            return gr.update(), gr.update(), gr.update(), f"⚠️ Upload refused: {md_text(str(exc))}", None
        doc_id = file_doc_id(Path(path))   # the id add_file gave it
        choices = doc_choices()
        return (gr.update(choices=choices, value=[c[1] for c in choices]), gr.update(choices=choices, value=doc_id),
                article_html(doc_id),
                f"✅ {md_text(name)}: {n} sentences indexed as “{md_text(doc_id)}”.",
                None)   # empties the upload box for the next file

    def add_link(url):
        if not (url or "").strip():
            return gr.update(), gr.update(), gr.update(), "Paste a link to an article first.", gr.update()
        try:
            doc = bot.add_url(url.strip())
        except AssistantError as exc:
            return gr.update(), gr.update(), gr.update(), f"⚠️ Link refused: {md_text(str(exc))}", gr.update()
        choices = doc_choices()
        return (gr.update(choices=choices, value=[c[1] for c in choices]), gr.update(choices=choices, value=doc.id),
                article_html(doc.id),
                f"✅ {md_text(doc.title)}: {bot.sentence_count(doc.id)} sentences indexed as “{md_text(doc.id)}”.",
                "")

    def remove(doc_id):
        if not doc_id:
            return gr.update(), gr.update(), gr.update(), "Choose a document to remove."
        try:
            bot.remove_document(doc_id)
        except AssistantError as exc:
            return gr.update(), gr.update(), gr.update(), f"⚠️ {md_text(str(exc))}"
        choices = doc_choices()
        first = choices[0][1] if choices else None
        return (gr.update(choices=choices, value=[c[1] for c in choices]), gr.update(choices=choices, value=first),
                view(first), f"Removed “{md_text(doc_id)}”.")

    def chat(message: str, history: list[dict] | None = None,
             doc_ids: list[str] | None = None) -> Iterator[str]:
        """Answer a question; streams the Markdown reply (answer, then quotes with sources). A
        reply in `history` may carry its `quotes` ([{doc_id, start, end}]) for "tell me more"."""
        try:
            for piece in reply(message, history or [], doc_ids):
                yield piece.markdown() if isinstance(piece, Answer) else piece
        except AssistantError as exc:
            yield f"Error: {exc}"

    def answer_api(message: str, history: list[dict] | None = None, doc_ids: list[str] | None = None) -> dict:
        """The reply as data (`Answer.to_dict()`): its id, kind, text, confidence and the quotes
        with their offsets; {"error": ...} for a bad question."""
        try:
            return bot.answer(message, history or [], doc_ids or None).to_dict()
        except AssistantError as exc:
            return {"error": str(exc)}

    panel = FeedbackPanel(bot, article_html)
    with gr.Blocks(title="News assistant") as demo:
        gr.Markdown("## News assistant\nAnswers with sentences quoted verbatim from the article, "
                    "or says the article does not tell.")
        choices = doc_choices()
        first = choices[0][1] if choices else None
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(elem_id="chat", height=480, label="Chat", buttons=["copy"],
                                     feedback_options=("Like", "Dislike"))
                question = gr.Textbox(elem_id="question", placeholder="Ask about the article…",
                                      show_label=False, lines=1, max_lines=4)
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="ask")
                    clear = gr.Button("Clear chat", elem_id="clear")
                status = gr.Markdown(elem_id="status")
                panel.render()
                with gr.Row(elem_id="follow-ups"):
                    chips = [gr.Button(visible=False, size="sm", elem_classes="chip") for _ in range(MAX_CHIPS)]
                shown = examples(bot.settings.seeds_dir)
                if shown:
                    gr.Examples(shown, inputs=question, label="Try")
            with gr.Column(scale=2):
                viewed = gr.Dropdown(choices, value=first, label="Article", elem_id="viewed")
                article = gr.HTML(article_html(first), elem_id="article", js_on_load=CLICK_JS)
                with gr.Accordion("Documents", open=True):
                    search_in = gr.CheckboxGroup(choices, value=[c[1] for c in choices],
                                                 label="Search in", elem_id="search-in")
                    upload_box = gr.File(label="Add an article (.txt, .md, .html)",
                                         file_types=[".txt", ".md", ".html", ".htm"], elem_id="upload")
                    with gr.Row():
                        link = gr.Textbox(placeholder="https://…", label="Add by link", lines=1, max_lines=1,
                                          scale=4, elem_id="link")
                        add_link_btn = gr.Button("Add", scale=1, elem_id="add-link")
                    remove_btn = gr.Button("Remove the article shown", elem_id="remove")

        last = gr.State(None)
        conversation = gr.State([])
        replies = gr.State({})
        outputs = [chatbot, question, article, status, viewed, last, conversation, replies, *chips]
        def chip_click(chip):
            """A follow-up chip asks its own text, after noting whether it was the offered request."""
            def trigger(*args, **kwargs):
                return chip.click(took_offer, [chip, last], None, api_visibility="private", queue=False,
                                  trigger_mode="multiple").then(*args, **kwargs)
            return trigger

        asks = [(send.click, question), (question.submit, question)] + [(chip_click(chip), chip) for chip in chips]
        for trigger, source in asks:
            # "multiple": a question asked while the last one's chips are being found is answered
            # and gets its own chips (the default, "once", ignored both until those chips were done)
            trigger(respond, [source, chatbot, search_in, viewed, conversation, replies], outputs,
                    api_visibility="private", trigger_mode="multiple").then(
                None, None, None, js=SCROLL_TO_QUOTE, trigger_mode="multiple").then(
                follow_ups, last, chips, api_visibility="private", trigger_mode="multiple",
                # one session's chips at a time, in a queue of their own: they never hold a slot
                # an answer is waiting for
                concurrency_limit=1, concurrency_id="follow-ups")
        clear.click(lambda: ([], [], "", "", {}, *panel.closed(), *no_chips),
                    None, [chatbot, conversation, question, status, replies, *panel.outputs, *chips],
                    api_visibility="private")
        panel.wire(chatbot, article, viewed, replies, status).then(
            ask_named, [panel.asking, chatbot, search_in, viewed, conversation, replies], outputs,
            api_visibility="private").then(
            chips_after_named, [panel.asking, last], chips, api_visibility="private",
            concurrency_limit=1, concurrency_id="follow-ups")
        viewed.change(view, viewed, article, api_visibility="private")
        upload_box.upload(upload, upload_box, [search_in, viewed, article, status, upload_box],
                          api_visibility="private")
        for trigger in (add_link_btn.click, link.submit):
            trigger(add_link, link, [search_in, viewed, article, status, link], api_visibility="private")
        remove_btn.click(remove, viewed, [search_in, viewed, article, status], api_visibility="private")
        gr.api(chat, api_name="chat")
        gr.api(answer_api, api_name="answer")
        gr.api(feedback_endpoint(bot), api_name="feedback")
    demo.queue(default_concurrency_limit=bot.settings.chat_concurrency, max_size=256)
    return demo


def launch(bot: Assistant, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> gr.Blocks:
    bot.warm_up()   # the first question should not wait for the models to load
    demo = build_app(bot)
    demo.launch(server_name=host, server_port=port, share=False, theme=THEME, css=CSS,
                prevent_thread_lock=not block, quiet=not block, show_error=True)
    return demo

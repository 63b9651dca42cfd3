"""Feedback under each reply of the chat: 👍 saves at once; 👎 opens a panel where the right
sentence is clicked in the article (or "the article does not say this"), or the request the
question asked for is named ("who wrote the article"), then saved. A named request is then asked."""
from __future__ import annotations

from typing import Callable

import gradio as gr

from ..errors import AssistantError
from ..feedback.record import NOT_IN_ARTICLE
from ..feedback.request import REQUEST_LABELS
from ..schema import Answer, Span, md_text
from ..service import Assistant
from ..text.en import MEANT

HELP = ("👎 **What is right?** Click the sentence that answers the question in the article, "
        "or say the article does not say it. A short answer is optional. If your question asked "
        "about the article itself (who wrote it, a summary), name that instead. Then save.")
SHOWN = {"up": "Like", "down": "Dislike"}     # a verdict as the chat's thumbs show it


class FeedbackPanel:
    """`replies` (a `gr.State`, kept by the chat): message number -> (the `Answer` shown there,
    the conversation before it). `article_html(doc_id, picked=Span)` draws the article."""

    def __init__(self, bot: Assistant, article_html: Callable[..., str]) -> None:
        self.bot = bot
        self.article_html = article_html

    def render(self) -> None:
        """The panel's components, where the layout wants them (hidden until a 👎)."""
        with gr.Group(visible=False, elem_id="correction") as self.group:
            self.help = gr.Markdown(HELP, elem_id="correction-help")
            with gr.Row():
                self.not_said = gr.Button("The article does not say this", size="sm", elem_id="not-in-article")
                self.answer_text = gr.Textbox(placeholder="Short answer (optional)", show_label=False,
                                              lines=1, max_lines=1, elem_id="answer-text", scale=2)
            self.meant = gr.Dropdown([(MEANT[label], label) for label in REQUEST_LABELS], value=None,
                                     label="Or: my question asked about the article, for…", elem_id="meant",
                                     visible=self.bot.settings.keep_requests)
            with gr.Row():
                self.save_btn = gr.Button("Save feedback", variant="primary", size="sm", elem_id="save-feedback")
                self.cancel_btn = gr.Button("Cancel", size="sm", elem_id="cancel-feedback")
        self.rated = gr.State({})       # reply id -> the verdict saved on it
        self.pending = gr.State(None)   # the message number whose 👎 is being completed
        self.picked = gr.State(None)    # the right passage marked for it, or NOT_IN_ARTICLE
        self.asking = gr.State(None)    # the request named in the last feedback saved, to ask next

    @property
    def outputs(self) -> list:
        return [self.pending, self.picked, self.group, self.help, self.answer_text, self.meant]

    @staticmethod
    def closed() -> tuple:
        """Values for `outputs` that close the panel."""
        return None, None, gr.update(visible=False), HELP, "", None

    def wire(self, chatbot, article, viewed, replies, status):
        """Returns the save event: the chat asks `asking` after it."""
        private = {"api_visibility": "private"}
        chatbot.like(self.rate, [replies, self.rated], [status, self.rated, chatbot, *self.outputs], **private)
        article.click(self.pick, self.pending, [self.picked, self.help, article], **private)
        self.not_said.click(self.not_in_article, [self.pending, viewed], [self.picked, self.help, article], **private)
        saved = self.save_btn.click(self.save_correction, [self.pending, self.picked, self.answer_text, self.meant,
                                                           replies, self.rated, viewed],
                                    [status, self.rated, chatbot, *self.outputs, article, self.asking], **private)
        self.cancel_btn.click(self.cancel, [replies, self.rated, viewed], [status, chatbot, *self.outputs, article],
                              **private)
        return saved

    @staticmethod
    def thumbs(replies, rated, blank=None):
        """The thumbs under each reply: the verdicts saved, none where none was (nor under message
        `blank`: the browser redraws a thumb only when its value changes)."""
        return gr.update(feedback_value=[None if i == blank else SHOWN.get(rated.get(replies[i][0].id))
                                         for i in sorted(replies)])

    def rate(self, replies, rated, evt: gr.LikeData):
        """A second verdict on a reply is refused and its thumb set back to the verdict saved."""
        replies, rated = replies or {}, rated or {}
        found = replies.get(evt.index)
        if found is not None and found[0].id in rated:
            said = "Feedback on this reply was already saved."
            yield said, rated, self.thumbs(replies, rated, evt.index), *self.closed()
            yield said, rated, self.thumbs(replies, rated), *self.closed()
        elif found is None:
            yield "This reply can no longer be rated.", rated, self.thumbs(replies, rated), *self.closed()
        elif evt.liked is True:
            yield self.save(*found, "up", None, "", replies, rated)
        elif evt.liked is False:
            yield ("👎 Mark what is right, or name what your question asked for, then save.", rated, gr.skip(),
                   evt.index, None, gr.update(visible=True), HELP, "", None)
        else:    # a thumb clicked off before anything was saved
            yield gr.skip(), rated, self.thumbs(replies, rated), *self.closed()

    def save(self, answer: Answer, before, verdict, evidence, answer_text, replies, rated):
        try:
            self.bot.record_feedback(answer, verdict, evidence, answer_text or None, history=before)
        except AssistantError as exc:
            return f"⚠️ Feedback not saved: {md_text(str(exc))}", rated, self.thumbs(replies, rated), *self.closed()
        rated = {**rated, answer.id: verdict}
        marked = (" with the right sentence" if isinstance(evidence, dict) else
                  " (the article does not say it)" if evidence == NOT_IN_ARTICLE else "")
        what = {"up": "👍", "down": "👎"}[verdict]
        return f"✅ Feedback saved: {what}{marked}. Thank you.", rated, self.thumbs(replies, rated), *self.closed()

    def save_named(self, answer: Answer, before, evidence, answer_text, meant, replies, rated
                   ) -> tuple[tuple, str | None]:
        """A 👎 whose question asked for request `meant`: both kept at once (`record_correction`,
        nothing written if either is refused), and the question to ask for it (None: nothing to ask)."""
        try:
            asking = self.bot.request_as_question(answer, meant)
            self.bot.record_correction(answer, meant, evidence, answer_text or None, history=before)
        except AssistantError as exc:
            return (f"⚠️ Feedback not saved: {md_text(str(exc))}", rated, self.thumbs(replies, rated),
                    *self.closed()), None
        rated = {**rated, answer.id: "down"}
        then = f" Asking “{md_text(asking)}”." if asking else " Ask it with the name you meant."
        return (f"✅ Feedback saved: 👎, your question asked for {MEANT[meant]}.{then} Thank you.", rated,
                self.thumbs(replies, rated), *self.closed()), asking

    def pick(self, pending, evt: gr.EventData):
        """A click on a sentence of the article, while the panel is open, marks it."""
        data = getattr(evt, "_data", None) or {}
        doc = self.bot.find_document(str(data.get("doc_id") or ""))
        try:
            span = Span(int(data["start"]), int(data["end"]))
        except (KeyError, TypeError, ValueError):
            span = None
        if pending is None or doc is None or span is None or not 0 <= span.start < span.end <= len(doc.text):
            return gr.skip(), gr.skip(), gr.skip()
        picked = {"doc_id": doc.id, "start": span.start, "end": span.end}
        return (picked, f"{HELP}\n\n**Right sentence:** “{md_text(doc.text[span.start:span.end])}”",
                self.article_html(doc.id, picked=span))

    def not_in_article(self, pending, viewed):
        if pending is None:
            return gr.skip(), gr.skip(), gr.skip()
        return NOT_IN_ARTICLE, f"{HELP}\n\n**The article does not say this.**", self.article_html(viewed)

    def save_correction(self, pending, picked, answer_text, meant, replies, rated, viewed):
        replies, rated = replies or {}, rated or {}
        found, asking = replies.get(pending), None
        if found is None:
            out = ("This reply can no longer be rated.", rated, self.thumbs(replies, rated), *self.closed())
        elif found[0].id in rated:
            out = ("Feedback on this reply was already saved.", rated, self.thumbs(replies, rated), *self.closed())
        elif meant:
            out, asking = self.save_named(*found, picked, answer_text, meant, replies, rated)
        else:
            out = self.save(*found, "down", picked, answer_text, replies, rated)
        return *out, self.article_html(viewed), asking

    def cancel(self, replies, rated, viewed):
        return ("Feedback cancelled: nothing saved.", self.thumbs(replies or {}, rated or {}), *self.closed(),
                self.article_html(viewed))


def feedback_endpoint(bot: Assistant) -> Callable[..., str]:
    def feedback(reply: dict, verdict: str, evidence: str | dict | None = None,
                 answer_text: str | None = None, history: list[dict] | None = None,
                 meant: str | None = None) -> str:
        """Save a verdict, "up" or "down", on a reply `/answer` gave. `evidence`: the right passage
        ({doc_id, start, end} or its exact text) or "unanswerable"; `history`: the conversation
        before the question; `meant`: with "down", the request about the article the question
        asked for ("about:author", …), kept as the 👎 panel keeps it. Returns "saved <record id>"
        (then " and <request id>") or "Error: ..."."""
        try:
            answer = Answer.from_dict(reply)
        except (KeyError, TypeError, ValueError, AttributeError):
            return "Error: the reply must be one /answer gave"
        try:
            if meant is None:
                return f"saved {bot.record_feedback(answer, verdict, evidence, answer_text, history=history)['id']}"
            if verdict != "down":
                return "Error: a request is named only with a \"down\" verdict"
            saved, request = bot.record_correction(answer, meant, evidence, answer_text, history=history)
            return f"saved {saved['id']} and {request['id']}"
        except AssistantError as exc:
            return f"Error: {exc}"

    return feedback

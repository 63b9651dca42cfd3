"""A file name made of Markdown and a javascript: link, uploaded in Chromium: shown as its
characters, never rendered as a link or bold text (before, the status line held an <a>)."""
from conftest import chat_page

NAME = "`x` **bold** [a](javascript:alert(1)).txt"


def test_an_upload_name_is_shown_escaped(tmp_path):
    from playwright.sync_api import expect

    from assistant import Assistant

    bot = Assistant(index_dir=tmp_path / "ix")
    bot.add_document("Harbour\n\nThe harbour reopened on Monday after the storm.", doc_id="harbour")
    path = tmp_path / NAME
    path.write_text("Ferry strike\n\nFerry crews walked out on Friday over pay.\n", encoding="utf-8")
    with chat_page(bot) as (page, _box):
        page.locator("input[type=file]").first.set_input_files(str(path))
        status = page.locator("#status")
        expect(status).to_contain_text("sentences indexed", timeout=60_000)
        # Gradio drops some characters from an upload's name (` * :); the rest shows as typed
        expect(status).to_contain_text("[a](javascriptalert(1)).txt:")
        assert status.locator("a").count() == 0 and status.locator("strong").count() == 0
        assert status.locator("code").count() == 0
    assert any(d.title == "Ferry strike" for d in bot.documents())

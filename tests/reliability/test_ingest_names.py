"""`assistant ingest` on folders as people have them: names alike, links out, long names, raw bytes."""
import subprocess
import sys
import unicodedata

from conftest import ROOT


def cli(*args):
    return subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def article(i: int) -> str:
    return f"Report {i}\n\nThe harbour reopened on day {i} after a storm. Ferries sailed {i} times.\n"


def test_files_named_alike_all_get_indexed_under_their_own_ids(tmp_path):
    from assistant import Assistant

    folder = tmp_path / "news"
    names = ["2024/report.txt", "2025/report.txt", unicodedata.normalize("NFC", "café.txt"),
             unicodedata.normalize("NFD", "café.txt"), "my  report.txt", "my-report.txt", "a/b/note.md",
             "c/b/note.md"]
    for i, name in enumerate(names):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(article(i), encoding="utf-8")
    index = tmp_path / "ix"
    out = cli("ingest", folder, "--index", index)
    assert out.returncode == 0 and "8 of 8 files indexed" in out.stdout, out.stdout + out.stderr
    bot = Assistant(index_dir=index)
    docs = bot.documents()
    assert len(docs) == 8 and len({d.text for d in docs}) == 8
    ids = {d.id for d in docs}
    assert {"report", "2025/report", "café", "my-report", "note", "b/note"} <= ids
    again = cli("ingest", folder, "--index", index)    # the same ids again: all unchanged
    assert "0 of 8 files indexed" in again.stdout and "8 unchanged" in again.stdout


def test_links_inside_a_folder_are_not_followed_unless_asked(tmp_path):
    from assistant import Assistant

    outside = tmp_path / "outside.txt"
    outside.write_text("Secret\n\nThe vault code is kept in the cellar.\n", encoding="utf-8")
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "story.txt").write_text(article(1), encoding="utf-8")
    (folder / "secret.txt").symlink_to(outside)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "more").symlink_to(tmp_path, target_is_directory=True)
    index = tmp_path / "ix"
    out = cli("ingest", folder, "--index", index)
    assert out.returncode == 0 and "1 of 1 files indexed" in out.stdout
    assert "3 link(s) inside the folders not followed (--follow-links follows them)" in out.stdout
    assert [d.id for d in Assistant(index_dir=index).documents()] == ["story"]
    out = cli("ingest", folder, "--index", tmp_path / "ix2", "--follow-links")
    assert "secret" in {d.id for d in Assistant(index_dir=tmp_path / "ix2").documents()}, out.stdout + out.stderr


def test_a_file_name_too_long_for_the_file_system_is_one_line(tmp_path):
    from assistant import Assistant
    from assistant.errors import InvalidDocumentError

    name = tmp_path / ("n" * 300 + ".txt")
    out = cli("ingest", name, "--index", tmp_path / "ix")
    lines = [line for line in out.stderr.splitlines() if line.startswith("error")]
    assert out.returncode == 1 and "Traceback" not in out.stderr and len(lines) == 1
    assert "File name too long" in lines[0] and "…" in lines[0] and len(lines[0]) < 200
    bot = Assistant(index_dir=tmp_path / "ix")
    try:
        bot.add_file(name)
    except InvalidDocumentError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 200
    else:
        raise AssertionError("a 300-character name was accepted")
    assert bot.documents() == []


def test_control_bytes_of_an_article_reach_the_terminal_escaped(tmp_path):
    from assistant import Assistant

    path = tmp_path / "bell.txt"
    text = "Storm\n\nThe mayor \x1b[2J\x07said the harbour reopened on Monday after the storm.\n"
    path.write_text(text, encoding="utf-8")
    index = tmp_path / "ix"
    assert cli("ingest", path, "--index", index).returncode == 0
    out = cli("ask", "When did the harbour reopen?", "--index", index)
    assert out.returncode == 0 and "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert "The mayor \\x1b" in out.stdout and "\\x07said" in out.stdout
    stored = Assistant(index_dir=index).document("bell").text
    assert "\x1b[2J\x07" in stored             # what is stored is the text as given
    listing = cli("documents", "--json", "--index", index)
    assert "\x1b" not in listing.stdout

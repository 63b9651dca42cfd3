"""Random input through the API: Unicode questions up to the limit, any value for any setting.
Whatever comes in, what goes out is an answer or a typed `AssistantError`, never another exception."""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import SEED

RUNS = settings(max_examples=1000, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))
# words of the seed, so that many random questions reach the ranker and the reader, not only checks
WORDS = st.sampled_from(["Japan", "Seoul", "pact", "intelligence", "who", "how", "many", "when", "?", "the",
                         "destroyers", "Suga", "said", "minister", "talks", "2016", "what"])
QUESTIONS = st.one_of(
    st.text(max_size=2000),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=400).map(" ".join),
)


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    from assistant import Assistant

    bot = Assistant(index_dir=tmp_path_factory.mktemp("random"))
    bot.add_file(SEED, doc_id="seed")
    return bot


@RUNS
@given(question=QUESTIONS, scoped=st.booleans())
def test_random_questions(bot, question, scoped):
    from assistant.errors import AssistantError

    try:
        answer = bot.answer(question, doc_ids=["seed"] if scoped else None)
    except AssistantError as exc:
        assert "\n" not in str(exc)
        return
    text = bot.document("seed").text
    assert all(text[q.start:q.end] == q.text for q in answer.quotes)


def _fields():
    from assistant.settings import Settings

    return sorted(Settings.model_fields)


VALUES = st.one_of(st.integers(min_value=-10**30, max_value=10**30), st.floats(allow_nan=True),
                   st.text(max_size=60), st.booleans(), st.none(), st.just("1e309"), st.just("-0"),
                   st.just("99999"), st.lists(st.integers(), max_size=3))


@RUNS
@given(values=st.dictionaries(st.sampled_from(_fields()), VALUES, min_size=1, max_size=4))
def test_random_settings(values):
    from assistant.errors import InvalidSettingError
    from assistant.settings import Settings

    try:
        Settings(**values)
    except InvalidSettingError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("setting ")

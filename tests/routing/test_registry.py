"""Intent detection on phrasings written for this test (not the gold set's), and ordinary factual
questions that must stay facts. The whole-article answers through the real assistant are in
`gold/whole_article.jsonl` (run by scripts/test.sh) and below."""
import pytest

from assistant.routing.registry import ROUTES, detect
from assistant.schema import AnswerKind

ABOUT, ENTITIES, FACT, MENTIONS, MORE, SOURCE, SUMMARY = (
    AnswerKind.ABOUT, AnswerKind.ENTITIES, AnswerKind.FACT, AnswerKind.MENTIONS, AnswerKind.MORE, AnswerKind.SOURCE,
    AnswerKind.SUMMARY)

PHRASINGS = {
    SUMMARY: ["what's the article about", "Could you summarise this for me?", "Give me a quick summary please",
              "What is the gist?", "Main points?", "Sum up the story", "Briefly, what does the article say?",
              "TLDR", "Explain this article in two sentences", "What's the story here?",
              "Can you recap the piece?", "What are the key points of this text?"],
    ABOUT: ["who's the author?", "Who penned this piece?", "By whom was the article written?",
            "What date was the article published?", "When did this story come out?", "What's the dateline?",
            "Which newspaper published the article?", "What is the headline of this story?",
            "Who is the reporter?"],
    MENTIONS: ["Is Canada mentioned anywhere?", "Does the story talk about inflation?",
               "Are unions discussed in the article?", "Any references to climate change?",
               "Where in the text is the mayor mentioned?", "Does it mention the budget at all?",
               "Is there any mention of the police?"],
    ENTITIES: ["Which people are mentioned?", "What organisations are named in the article?",
               "List all the countries mentioned", "Who gets quoted in this story?",
               "Which cities appear in the article?", "Name the people in the text"],
    MORE: ["more", "Tell me a bit more", "go on please", "What else?", "Can you elaborate?",
           "And then what happened next?", "why?", "What else did she say?", "Keep going"],
    SOURCE: ["Which document says that?", "Where did you get that?", "What's your source?",
             "Which story is that from?"],
}

FACTUAL = [
    "Who is the president of the union?", "How many crew members will be hired?", "When did the strike start?",
    "What did the minister say about the mediator?", "Why did the talks break down?",
    "Where is the Alderney terminal?", "Who wrote the letter to the council?", "What is the title of the book?",
    "When was the bridge built?", "What is the main reason for the delay?", "Which country won the war?",
    "What does GSOMIA stand for?", "How much did the delays cost local businesses?", "Who mentioned the budget first?",
    "What happened in June 2012?", "What is the population of Seoul?", "Who is Yoshihide Suga?",
    "Which countries already signed the agreement?", "What is the story of the first ferry?",
    "What are the main exports of Japan?", "Is the deal expected to be signed this year?",
    "Does Japan have aircraft carriers?", "What did the article's author study?",
    "How many people were evacuated?", "What is the name of the ship?", "Who was the first person to speak?",
    "What else is produced in the region besides wheat?", "Where was the treaty signed?",
    "What does the union want next year?", "Who leads the transit authority?", "What time did sailings resume?",
    "Which party won the most seats?", "What is the capital of Nova Scotia?", "What caused the outage?",
    "Who was quoted as saying the vote passed?", "What percentage voted for the offer?",
    "Were the boats full on Friday?", "Is Tokyo the capital of Japan?", "What did critics of the deal say?",
    "Who summarised the findings of the report?", "How many ballistic missiles were launched?",
    "What are the key points of the new schedule?",
]


@pytest.mark.parametrize("kind,question", [(k, q) for k, qs in PHRASINGS.items() for q in qs])
def test_whole_article_phrasings_are_recognised(kind, question):
    assert detect(question).kind == kind


def test_at_least_forty_phrasings_and_forty_facts():
    assert sum(len(v) for v in PHRASINGS.values()) >= 40 and len(FACTUAL) >= 40


@pytest.mark.parametrize("question", FACTUAL)
def test_factual_questions_stay_facts(question):
    assert detect(question).kind == FACT


def test_mention_subject_keeps_the_users_case():
    assert detect("Is the US mentioned?").subject == "US"
    assert detect("does the article mention Vladimir Putin").subject == "Vladimir Putin"


def test_every_request_kind_has_one_route_and_a_handler_for_each():
    kinds = [route.kind for route in ROUTES]
    assert len(kinds) == len(set(kinds))
    answers_only = {AnswerKind.FACT, AnswerKind.NOT_MENTIONED, AnswerKind.UNCERTAIN, AnswerKind.ABSTAINED}
    assert set(kinds) == set(AnswerKind) - answers_only

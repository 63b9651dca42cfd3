"""Intent detection figures: a list of phrasings written after the grammar was first frozen, and
the share of real questions from the shared QA sets (XQuAD, MultiRC dev,
QED dev) that would be taken for a whole-article request. Usage:
    .venv/bin/python benchmarks/intents.py [--data ../shared/data]

Its first run recognised 27 of 30 phrasings and took 0 of 20 facts; the three misses ("the short
version", "the overall message", "the source for that") were then added as general phrasings, so
the list is no longer held out.
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from assistant.evaluation.datasets import load_dev_articles, load_squad_articles
from assistant.routing.registry import detect
from assistant.settings import PROJECT_ROOT

LATER = {
    "summary": ["Give me the short version", "what is this piece about?", "Summarise it in a few lines",
                "What's the overall message of the article?", "Could you give me a synopsis?",
                "What are the highlights?", "In simple terms, what is the article saying?"],
    "about": ["Who is the writer of this article?", "When was the story written?",
              "What publication is the article from?", "Who authored the text?", "What's the article's title?"],
    "mentions": ["Does the text mention any deaths?", "Is the economy talked about?",
                 "Is there any reference to the weather?", "Does the article bring up elections?",
                 "Where does the story mention the police?"],
    "entities": ["Which organizations are mentioned?", "Who is named in the story?",
                 "What countries does the article mention?", "List the places mentioned in the article"],
    "more": ["tell me more about that", "Anything else?", "Go on.", "More details please", "How come?",
             "What else did they say?"],
    "source": ["Which article is that from?", "Where did you read that?", "What is the source for that?"],
}
LATER_FACTS = [
    "Who is the author of the new law?", "When was the company founded?", "What did the mayor say?",
    "Which teams reached the final?", "What is the summary judgment in the case?", "How many points did she score?",
    "What is mentioned as the cause of the fire?", "Who wrote the national anthem?", "What else besides rice is grown?",
    "Where did the meeting take place?", "Why did the bridge close?", "What is the title of his first novel?",
    "What are the key ingredients?", "Is the museum open on Sundays?", "Does the law apply to children?",
    "Who was named coach?", "What is the source of the river?", "When did the war end?",
    "What happened to the ship after the storm?", "Which places did the tour visit?",
]


def shared_questions(data: Path) -> list[str]:
    questions = [i.question for a in load_squad_articles(data / "xquad.en.json") for i in a.items]
    for path in sorted((data / "dev").glob("*.jsonl")):
        questions += [t.question for a in load_dev_articles(path) for i in a.items for t in i.as_turns()]
    return questions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    pairs = [(k, q) for k, qs in LATER.items() for q in qs]
    missed = [(k, q, detect(q).kind) for k, q in pairs if detect(q).kind != k]
    taken = [(q, detect(q).kind) for q in LATER_FACTS if detect(q).kind != "fact"]
    print(f"later phrasings recognised: {len(pairs) - len(missed)}/{len(pairs)} "
          f"({1 - len(missed) / len(pairs):.1%})")
    for m in missed:
        print("  missed:", m)
    print(f"later factual questions taken for an intent: {len(taken)}/{len(LATER_FACTS)}")
    for t in taken:
        print("  taken:", t)
    if args.data.is_dir():
        questions = shared_questions(args.data)
        kinds = Counter(detect(q).kind for q in questions)
        wrong = len(questions) - kinds["fact"]
        print(f"shared QA questions (XQuAD, MultiRC dev, QED dev) taken for an intent: {wrong}/{len(questions)} "
              f"({wrong / len(questions):.2%}) {dict(kinds)}")


if __name__ == "__main__":
    main()

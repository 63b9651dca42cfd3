"""English language resources, in one place so that another language can sit beside it:
stop words, question words and the phrasings that tell what kind of answer a question wants.
Nothing here may come from one article's topic: these are words of English questions."""
from __future__ import annotations

import re

STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most
my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom whose why will
with would you your yours yourself yourselves also said says say tell told according article
did does do doing done many much
""".split())

QUESTION_WORD = re.compile(r"\b(who|whom|whose|what|when|where|which|why|how)\b", re.IGNORECASE)

# Nouns that frame a question rather than name its subject ("which city", "what kind").
FRAME_NOUNS = frozenset("""
name names kind kinds sort type types part parts number numbers amount city cities country countries
place places year years date dates time times day days month months story article report text way
ways thing things reason reasons percentage percent share person people one ones someone something
acronym acronyms abbreviation abbreviations
""".split())

# Entity labels (spaCy's OntoNotes set) by answer type.
PERSON = ("PERSON", "ORG", "NORP")
TIME = ("DATE", "TIME")
NUMBER = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")
PLACE = ("GPE", "LOC", "FAC")

_MOD = r"(?:\w+ )?"   # one modifier: "which American official", "what large city"
ANSWER_TYPES: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (re.compile(r"\bhow (many|much)\b|\bwhat (number|percentage|percent|amount|share|proportion)\b"
                r"|\bhow (large|big|high|tall|far|fast|heavy|deep|wide)\b"), NUMBER),
    (re.compile(r"\bhow (long|old)\b"), TIME + NUMBER),
    (re.compile(r"\b(when|what year|which year|what date|what month|which month|what day|"
                r"what time|what decade|what century|what period|which century|which decade|"
                r"by when|since when)\b"), TIME),
    (re.compile(r"\b(who|whom|whose)\b|\b(what|which) " + _MOD + r"(person|people|man|men|woman|women|"
                r"official|officials|leader|leaders|president|minister|secretary|spokesperson|spokesman|"
                r"spokeswoman|author|writer|player|actor|actress|singer|scientist|king|queen|emperor|"
                r"general|politician|member|members|director|founder|chief|head)\b"), PERSON),
    (re.compile(r"\b(what|which) " + _MOD + r"(organization|organisation|company|agency|ministry|group|"
                r"party|team|university|institution|body|band|newspaper)\b"), ("ORG",)),
    (re.compile(r"\bwhere\b|\b(what |which |name (a |an |one |the |some )?)" + _MOD + r"(country|countries|"
                r"city|cities|place|region|state|nation|nations|continent|island|islands|town|river)\b"),
     PLACE + ("NORP",)),
    (re.compile(r"\b(what|which) (nationality|religion|language)\b"), ("NORP", "LANGUAGE")),
]

# "And in X?", "What about X?": an elliptical follow-up about a new subject.
ELLIPSIS = re.compile(r"^\s*(and|what about|how about|and what about|what of|also)\b[\s,]*(.*?)[\s?.!]*$",
                      re.IGNORECASE)
PERSON_PRONOUN = re.compile(r"\b(he|she|him|his|her|hers)\b", re.IGNORECASE)
POSSESSIVE_PRONOUNS = frozenset({"his", "hers"})
OTHER_REFERENCE = re.compile(r"\b(it|its|they|them|their|that|this|those|these|there|then|the same|"
                             r"such)\b", re.IGNORECASE)
# A sentence that asks: a question word or an auxiliary first.
ASKING_START = re.compile(r"^\W*(?:(?:and|also|so|but)\s+)?(who|whom|whose|what|when|where|which|why|how|is|"
                          r"are|was|were|did|does|do|can|could|has|have|had|will|would|should|name|tell|"
                          r"list)\b", re.IGNORECASE)
# Prepositions before a place ("in Paris"), and those a question may open with ("In which city").
PLACE_PREPOSITIONS = frozenset("in at near inside outside across from to".split())
LEADING_PREPOSITION = re.compile(r"^\W*(in|at|on|from|to|by|for|with|during|since|after|before)\s+"
                                 r"(which|what|whom)\b", re.IGNORECASE)
# "Who is X?", "Who was X?", "What is X's job/role/title/position?": a description of X is wanted.
WHO_IS = re.compile(r"^\W*who\s+(?:is|was|are|were)\s+(?P<name>[^?]+?)\W*$", re.IGNORECASE)
ROLE_OF = re.compile(r"^\W*what\s+(?:is|was)\s+(?P<name>[^?]+?)['’]s?\s+(?:job|role|title|position|"
                     r"post|occupation|profession)\W*$", re.IGNORECASE)
# A question that asks for a list: "Name the ...", "List ..."; "Which/What <plural noun>" is found
# with the tagger (`short_answer.asks_for_list`).
PLURAL_WHO = re.compile(r"\bwho\s+(?:are|were)\b", re.IGNORECASE)
LIST_QUESTION = re.compile(r"\bname (the|some|all)\b|\blist\b", re.IGNORECASE)
WHICH = frozenset({"which", "what"})

# Follow-up questions the chat offers (`routing/suggestions.py`), and the verbs of saying that
# mark a speaker.
SAY_VERBS = frozenset("said says told noted added stated explained warned argued insisted".split())
ASK_ABOUT_ARTICLE = "What is this article about?"
ASK_MORE = "Tell me more"
ASK_NAMED = "Who is mentioned in the article?"
ASK_WHO = "Who is {name}?"
ASK_SAID = "What did {name} say?"
# The request a question may have meant (the intent classifier's unsure reading), as a chip.
OFFERS = {"summary": "Summarise the article", "about:author": "Who wrote the article?",
          "about:date": "When was the article published?", "about:place": "Where was the story filed from?",
          "about:source": "What is the source of this article?", "about:title": "What is the title of the article?",
          "mentions": "Is {subject} mentioned?", "entities": "Who is mentioned in the article?",
          "more": ASK_MORE, "source": "Which article says that?"}
# The same requests named in the 👎 panel, where a person says what their question asked for.
MEANT = {"summary": "a summary of the article", "about:author": "who wrote the article",
         "about:date": "when it was published", "about:place": "where it was filed from",
         "about:source": "the article's source", "about:title": "the article's title",
         "mentions": "whether a name is mentioned", "entities": "who is mentioned",
         "more": "more on the last reply", "source": "which article says it"}

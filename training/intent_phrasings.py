"""Training phrasings for the intent classifier: requests about the article as a whole, written as
frames with slots and expanded, and fact questions that look like requests. Real fact questions
come from the MultiRC training split (`train_intents.py` reads them). Written apart from the
held-out set `gold/intents_heldout.jsonl`, which is never read here.

Labels: summary, about:author, about:date, about:place, about:source, about:title, mentions,
entities, more, source, fact.
"""
from __future__ import annotations

import random
import re

DOCS = ["the article", "this article", "the story", "this story", "the piece", "this piece", "the report",
        "this report", "the text", "this text", "it", "this", "the news item", "this news story", "the post",
        "the write-up", "the document", "this item", "the news article", "the news", "the feature",
        "this news report", "the column", "the page", "the coverage"]
KINDS = ["people", "countries", "places", "companies", "organisations", "cities", "officials", "names", "groups"]
TOPICS = ["the economy", "China", "the president", "taxes", "climate change", "the police", "vaccines",
          "the election", "Apple", "the army", "oil prices", "refugees", "the court", "John Smith", "Europe",
          "the budget", "schools", "the weather", "inflation", "the strike", "Germany", "the mayor",
          "nuclear weapons", "the United Nations", "Maria Lopez", "the trade deal", "housing", "the border",
          "drought", "the central bank", "NATO", "hospitals", "the ceasefire", "Tokyo", "a lawsuit",
          "the opposition", "unemployment", "protesters", "the airline", "Google"]
PEOPLE = ["he", "she", "they", "the minister", "the mayor", "John Smith", "the spokesman", "the president",
          "the CEO", "Maria Lopez", "the official", "the coach"]
THINGS = ["the letter", "the bill", "the song", "the new law", "the petition", "the statement", "the memo",
          "the novel", "the open letter", "the complaint", "the budget plan", "the resolution", "the study",
          "the survey", "the constitution", "the contract", "the white paper", "the speech"]
ORGS = ["the ministry", "the company", "the union", "the government", "the council", "the bank", "the UN",
        "the court", "the police", "the army", "the school", "the hospital", "the party", "the committee"]

REQUESTS: dict[str, list[str]] = {
    "summary": [
        "summarise {doc}", "summarize {doc}", "give me a summary of {doc}", "can you summarise {doc}",
        "what is {doc} about", "what's {doc} about", "what is {doc} mainly about", "whats {doc} about",
        "what's the gist of {doc}", "the gist please", "gist?", "tl;dr", "tldr of {doc}", "tl dr",
        "sum up {doc}", "can you sum {doc} up", "sum it up", "what are the main points of {doc}",
        "main points of {doc}", "key points?", "what are the key takeaways of {doc}", "takeaways?",
        "what does {doc} say", "briefly, what does {doc} say", "what does {doc} tell us",
        "in a few words, what is {doc} about", "explain {doc} simply", "explain {doc} in simple terms",
        "explain {doc} to me like I'm a child", "what's the main idea of {doc}", "main idea?",
        "condense {doc}", "condense {doc} into one sentence", "a short summary please",
        "what's {doc} saying", "break {doc} down", "break down {doc} for me", "highlights of {doc}",
        "give me the highlights", "what's the bottom line of {doc}", "bottom line?", "an overview of {doc}",
        "give me an overview", "what is the main story here", "what's the news", "what's the news in {doc}",
        "simplify {doc} for me", "what's the upshot of {doc}", "in short, what's going on", "recap {doc}",
        "recap please", "a digest of {doc}", "I have no time to read {doc}, what's in it",
        "what's the essence of {doc}", "paraphrase {doc}", "what happened in {doc}", "what's the story",
        "what's it all about", "what's the main message of {doc}", "what is {doc} trying to say",
        "walk me through {doc}", "fill me in on {doc}", "brief me on {doc}", "give me the short version",
        "the short version of {doc}", "boil {doc} down", "nutshell version please", "in a nutshell?",
        "what's the takeaway", "outline {doc}", "give me an outline of {doc}", "rundown of {doc}",
        "quick rundown?", "what's the big picture", "summary", "summary of {doc}", "synopsis of {doc}",
        "describe {doc} in two sentences", "explain {doc}", "what's {doc} covering", "what does {doc} cover",
        "what's this one about", "tell me what {doc} says", "can you tell me what {doc} is about",
        "what's the point of {doc}", "what is the topic of {doc}", "what's the subject of {doc}",
        "give me the key facts of {doc}", "the main facts please", "what are the important bits",
        "what should I know from {doc}", "what are the headlines", "run me through {doc}",
    ],
    "about:author": [
        "who wrote {doc}", "who is the author of {doc}", "who's the author", "author of {doc}",
        "the author?", "who is the writer of {doc}", "which writer wrote {doc}", "which reporter wrote {doc}",
        "which journalist wrote {doc}", "by whom was {doc} written", "who is {doc} by", "whose byline is on {doc}",
        "what's the byline", "name the author of {doc}", "the journalist behind {doc}", "who penned {doc}",
        "who reported {doc}", "what's the author's name", "who filed {doc}", "who is the correspondent",
        "which correspondent filed {doc}", "who is the reporter of {doc}", "who wrote this one",
        "who's the journalist", "writer?", "who authored {doc}", "tell me the author", "who's {doc} written by",
        "who put {doc} together", "credit for {doc}?", "the name of the reporter", "who's behind {doc}",
    ],
    "about:date": [
        "when was {doc} published", "what's the date of {doc}", "publication date of {doc}", "the date?",
        "when did {doc} come out", "how old is {doc}", "when was {doc} written", "what day is {doc} from",
        "is {doc} recent", "date of {doc}", "when was {doc} posted", "when did {doc} appear",
        "what year is {doc} from", "when is {doc} from", "what date was {doc} published", "published when?",
        "how new is {doc}", "when was {doc} released", "what's the publish date", "dated when?",
        "on what day was {doc} written", "when did they publish {doc}",
    ],
    "about:place": [
        "where was {doc} written", "what's the dateline", "where is {doc} reported from",
        "which city is {doc} datelined", "where was {doc} filed", "dateline of {doc}", "the dateline?",
        "where was {doc} filed from", "what city was {doc} filed from", "where was {doc} reported",
        "from where was {doc} written", "where is the dateline of {doc}",
    ],
    "about:source": [
        "which newspaper published {doc}", "where is {doc} from", "what publication is {doc} from",
        "who published {doc}", "which outlet ran {doc}", "what's the source of {doc}", "which website is {doc} on",
        "what's the url of {doc}", "which news agency carried {doc}", "which paper is {doc} from",
        "publisher of {doc}", "which site published {doc}", "what outlet is {doc} from", "the publisher?",
        "where was {doc} published", "what newspaper is {doc} in", "which media outlet is {doc} from",
        "link to {doc}", "where does {doc} come from", "what's the original source of {doc}",
    ],
    "about:title": [
        "what is the title of {doc}", "what's {doc} called", "headline of {doc}", "what's the name of {doc}",
        "what is {doc} titled", "what heading does {doc} have", "the headline?", "title?",
        "what's the headline of {doc}", "what is the story's title", "give me the title", "what's {doc}'s title",
    ],
    "mentions": [
        "does {doc} mention {x}", "is {x} mentioned in {doc}", "is {x} mentioned", "does {doc} talk about {x}",
        "any mention of {x}", "is there anything about {x} in {doc}", "does {doc} say anything about {x}",
        "where does {doc} mention {x}", "find {x} in {doc}", "show me mentions of {x}", "is {x} discussed",
        "does {doc} refer to {x}", "how many times is {x} mentioned", "does {doc} bring up {x}",
        "is {x} named in {doc}", "does {doc} cover {x}", "is {x} in {doc}", "search {doc} for {x}",
        "highlight {x}", "does {x} come up in {doc}", "references to {x}", "any reference to {x}?",
        "mention of {x}?", "does {doc} touch on {x}", "is {x} talked about", "was {x} mentioned",
        "where is {x} mentioned", "does {doc} discuss {x}", "is {x} referred to", "does {doc} name {x}",
        "quote the parts about {x}", "which sentences mention {x}", "what does {doc} say about {x}",
        "is there talk of {x}", "does {doc} deal with {x}", "anything on {x}?", "does {doc} ever mention {x}",
        "was {x} mentioned in {doc}", "where in {doc} is {x} mentioned", "is {x} brought up in {doc}",
        "does {x} appear in {doc}", "has {doc} got anything on {x}", "where does {doc} talk about {x}",
        "how often does {doc} mention {x}", "count the mentions of {x}",
    ],
    "entities": [
        "who is mentioned in {doc}", "which people are named in {doc}", "list the people in {doc}",
        "what countries does {doc} mention", "name the organisations in {doc}", "which companies appear in {doc}",
        "who is quoted in {doc}", "who are the people in {doc}", "what places are mentioned",
        "list all the names", "which cities come up in {doc}", "who features in {doc}", "who does {doc} quote",
        "give me the names of the people in {doc}", "what groups does {doc} name", "which officials appear",
        "who are the key players in {doc}", "which countries are in {doc}", "who's mentioned",
        "list the organizations mentioned", "what companies are named", "names in {doc}?",
        "which people does {doc} mention", "who gets mentioned", "who is named", "the people quoted?",
        "what locations does {doc} mention", "list every country mentioned", "who are the main characters",
        "which leaders are mentioned", "who speaks in {doc}", "who is interviewed in {doc}",
        "which institutions does {doc} name", "what nations are involved", "which places come up",
        "what {kind} come up in {doc}", "which {kind} appear in {doc}", "what {kind} does {doc} name",
        "list the {kind}", "{kind} mentioned in {doc}?", "which {kind} are quoted",
    ],
    "more": [
        "tell me more", "more", "go on", "continue", "and then", "what else", "elaborate", "expand on that",
        "keep going", "more details", "anything else", "say more", "what happened next", "and after that",
        "can you elaborate", "more on that", "what else did {p} say", "is there more", "and?", "more info",
        "go further", "further details please", "dig deeper", "what more", "more please", "tell me more about that",
        "can you expand", "give me more", "and what else", "carry on", "next", "then what", "details?",
        "more about that", "what else is there", "what else did {doc} say", "anything more", "go on please",
    ],
    "source": [
        "which article says that", "where did you get that", "what's your source", "which story is that from",
        "source?", "where did you read that", "which document says so", "what article was that from",
        "according to which article", "where does that come from", "which text says that",
        "what's the source for that claim", "cite your source", "where is that from", "which piece said that",
        "from which article", "which report is that from", "which article mentions that", "where did that come from",
        "which story said that", "what document is that in", "which article has that", "where was that said",
        "which one says that", "sources?", "what's the source of that", "where did you find that",
    ],
}

# Fact questions that use the words of requests: about a letter's writer, a report inside the
# article, what someone mentioned, a law's publication date.
FACTS = [
    "who wrote {thing}", "who is the author of {thing}", "when was {thing} published", "who published {thing}",
    "what is the title of {thing}", "who signed {thing}", "what did {org} say about {x}", "what did {p} say about {x}",
    "what did {org} announce", "what did {p} announce about {x}", "who wrote to {org}", "who complained to {org}",
    "which newspaper did {p} criticise", "which website did {org} block", "what did the {adj} report say about {x}",
    "what does {thing} say about {x}", "what is mentioned as the cause of {x}", "who was mentioned as a candidate",
    "who was quoted as saying {x} would fall", "what is the main reason for {x}", "what are the main causes of {x}",
    "what is the key issue in {x}", "who are the main suspects", "which countries signed {thing}",
    "which companies are involved in {x}", "who was named as the new head of {org}", "what else did {org} promise",
    "what else did {p} do", "what happened to {x}", "what happened after {x}", "why did {x} happen",
    "tell me about {x}", "explain the reasons for {x}", "describe the impact of {x}", "list the demands of {org}",
    "name the leader of {org}", "summarise the position of {org} on {x}", "what is the gist of {p}'s argument",
    "what is the name of {org}'s leader", "when was {org} founded", "when did {x} begin", "how old is {p}",
    "where was {p} born", "where did {x} take place", "who founded {org}", "who owns {org}",
    "does {org} plan to cut jobs", "is {p} expected to resign", "did {p} sign {thing}", "is {org} going to appeal",
    "how many times did {org} raise rates", "how often does {org} meet", "which officials met {p}",
    "which cities were affected by {x}", "who spoke at the meeting", "who was interviewed by the police",
    "who appeared in court", "what places did {p} visit", "what is the purpose of {thing}",
    "what is the focus of {org}", "what is the latest on {x}", "what's happening with {x}",
    "what did {p} tell reporters", "what did {p} write in {thing}", "who reported {x} to the police",
    "who filed {thing}", "which journalist was arrested", "where was the reporter detained",
    "where did the money for {x} come from", "what is the origin of {x}", "according to {org}, how many died",
    "who is the source of the leak", "when will {thing} be published", "how much more will {x} cost",
    "what more can {org} do about {x}", "tell me who leads {org}", "give me the number of people hurt",
    "show me what {p} said about {x}", "who else was arrested", "what else was found", "who else attended",
    "what is the headline figure for {x}", "what was the story of {p}'s escape", "what is the point of {thing}",
    "what did {org} report about {x}", "what did {thing} conclude", "which paper first reported {x}",
    # the words of requests about people and things inside the article
    "when was the {role} released", "when was the {role} arrested", "where was the {role} born",
    "how old is the {role}", "why was the {role} fired", "what did the {role} write about {x}",
    "which {role} interviewed {p}", "who hired the {role}", "what happened to the {role}",
    "what is the topic of {event}", "what is the theme of {event}", "what is the subject of {event}",
    "what was the focus of {event}", "what was the main point of {p}'s speech", "what is the gist of {thing}",
    "summarise {p}'s position on {x}", "summarize {org}'s view of {x}", "give a summary of {thing}",
    "explain {p}'s argument about {x}", "describe {org}'s plan for {x}", "outline the terms of {thing}",
    "what is the publication date of {thing}", "what is the release date of {thing}", "when is {event}",
    "when did {event} take place", "what is the title of {p}'s new book", "what is {thing} called",
    "who is the author of the book about {x}", "who wrote the report on {x}", "what source of {x} was found",
    "which sources did {org} cite", "where does {x} come from", "is {x} mentioned in {thing}",
    "what is mentioned in {thing}", "who mentioned {x} first", "who is named in {thing}",
    "how many {role}s were arrested", "which {role}s were expelled", "who are the {role}s at the trial",
]

# A second batch in other voices (terse, chatty, text-message, second-language English), written
# after the fresh held-out set's baseline was taken. Frames close to an item of either held-out set
# were left out (a word overlap of 3/4 or more, or the shape of an item the detector missed).
MORE_REQUESTS: dict[str, list[str]] = {
    "summary": [
        "u got a summary of {doc}", "what r the main points", "{doc} in brief?", "need the short story of {doc}",
        "help me understand {doc}", "what's {doc} on about", "gist of {doc} pls", "one line on {doc}",
        "what is being reported in {doc}", "what does {doc} report", "what's happening in {doc}",
        "please resume {doc}", "make {doc} shorter", "cliff notes for {doc}", "tell me {doc} in a nutshell",
        "what's the story in {doc} in plain words", "what's all this about", "the main points, please",
        "I didn't read {doc}, what's it say", "the important points of {doc}",
    ],
    "about:author": [
        "who is the writer", "whose article is {doc}", "who's {doc} by", "the reporter's name?",
        "who wrote this thing", "which author is behind {doc}", "{doc} was written by who",
        "who is the byline on {doc}", "who was the reporter for {doc}", "what journalist is {doc} by",
        "who wrote up {doc}", "author name of {doc}", "who is credited with {doc}",
    ],
    "about:date": [
        "when is {doc} dated", "{doc} came out when", "date {doc} was published", "is {doc} old",
        "how long ago was {doc} published", "when did {doc} go online", "when did {doc} run",
    ],
    "about:place": ["where was {doc} datelined", "{doc} is filed from where", "what place is {doc} reported from"],
    "about:source": [
        "who ran {doc}", "what paper ran {doc}", "which outlet is {doc} from", "where did {doc} appear", "what newspaper printed {doc}", "who is the publisher of {doc}",
    ],
    "about:title": ["what headline does {doc} run under", "name of {doc}?", "what is {doc}'s headline",
                    "{doc} is called what"],
    "mentions": [
        "anything in {doc} on {x}", "is {x} anywhere in {doc}", "{x} in {doc}?",
        "does {doc} say a word about {x}", "is {x} covered in {doc}", "look for {x} in {doc}",
        "point me to where {doc} talks about {x}", "did {doc} bring up {x}", "any {x} in {doc}",
        "is {x} talked about in {doc}", "does {doc} include anything on {x}", "is {x} part of {doc}",
    ],
    "entities": [
        "who r the people in {doc}", "which {kind} does {doc} talk about", "names of the {kind} in {doc}",
        "who is cited in {doc}", "which sources does {doc} quote", "who gets named in {doc}",
        "all the {kind} in {doc}", "who does {doc} talk about", "the {kind} {doc} mentions",
    ],
    "more": [
        "and what else", "keep talking", "continue with that",
        "what else is in there", "tell me the rest", "more details on that", "expand on it",
        "anything else to add", "what other details are there", "then?",
    ],
    "source": [
        "where'd you get that", "where did you take that from", "what's that based on",
        "which piece is that in",
        "which story has that", "show me the source of that",
    ],
}
MORE_FACTS = [
    "which paper printed {thing}", "when is {thing} due out", "who wrote up {thing}",
    "who is quoted in {thing}",
    "what is the headline of {thing}", "who is credited with {thing}", "what did {thing} say about {x}",
    "who ran {org} before {p}", "which outlet did {p} talk to", "where was {thing} published",
    "what else does {thing} say", "what is {thing} based on", "what does {thing} include",
    "where does {p} get the money", "what is the source of {org}'s funding", "which article of {thing} was broken",
    "who are the people behind {thing}", "who is the main character of the film", "what is the film about",
    "what is {thing} about", "what is the book about", "what is the case about", "what is the dispute about",
    "tell me the reason for {x}", "give me the main points of {thing}", "summarise what {p} said",
]

# A third batch, written after the misses of the fresh and third held-out sets were read and
# before the fourth set was scored: what the answer just shown came from ({ans}), requests with a
# slot, and fact questions about named things that use the same verbs.
ANSWERS = ["that", "this", "this answer", "that answer", "the quote", "that quote", "this info", "that claim",
           "what you just said", "your answer", "that bit", "this fact", "it", "that line", "the last answer"]
SOURCES = ["article", "story", "text", "piece", "report", "document", "source", "item", "page", "passage"]
THIRD_REQUESTS: dict[str, list[str]] = {
    "summary": [
        "the headline points of {doc}", "{doc}'s main points in brief", "give me {doc} in a paragraph",
        "what ground does {doc} cover", "the essentials of {doc}", "what's the thrust of {doc}",
        "can I get a quick summary", "summarise {doc} in bullet points", "what does {doc} boil down to",
        "what is {doc} on", "tell me briefly what {doc} says",
    ],
    "about:author": [
        "what's the reporter called", "who wrote the {src} you're quoting from", "the writer of {doc}?",
        "who's the person who wrote {doc}", "whose name is on {doc}", "who is {doc} credited to",
        "the author of {doc} is who", "which reporter is {doc} by",
    ],
    "about:date": ["when did {doc} get published", "which date is on {doc}", "is {doc} from today",
                   "how fresh is {doc}"],
    "about:place": ["which city is {doc} from", "where does {doc}'s dateline say"],
    "about:source": ["which paper carried {doc}", "what site is {doc} on", "which agency put out {doc}"],
    "about:title": ["what is {doc} headlined", "the title of {doc}?"],
    "mentions": [
        "does {doc} get into {x}", "where's the bit about {x}", "the part about {x}, please",
        "does {doc} go into {x} at all", "what bits of {doc} are about {x}", "show me the lines on {x}",
        "is {x} in there", "does {x} feature in {doc}", "anything about {x} in there",
        "where does {doc} get to {x}", "check {doc} for {x}", "is there a line about {x} in {doc}",
    ],
    "entities": [
        "who is quoted here", "who's in {doc}", "who are the people here", "which {kind} are in there",
        "the {kind} named here", "what {kind} does {doc} bring up", "who's quoted in {doc}",
        "which {kind} get a mention in {doc}",
    ],
    "more": [
        "anything else worth knowing", "what else should I know", "more on this", "keep it going",
        "is that all", "is that everything", "what else does {doc} say about it", "go on with that",
        "and besides that", "other details?", "tell me more on that point",
    ],
    "source": [
        "where did you find {ans}", "what {src} are you quoting", "which {src} is {ans} from",
        "which {src} did you get {ans} from", "where does {doc} say {ans}", "says who",
        "where does it say {ans}", "what {src} did {ans} come from", "where'd {ans} come from",
        "where is {ans} from", "which {src} says {ans}", "what's {ans} based on", "show me where {ans} is",
        "where in {doc} is {ans}", "what is the source of {ans}", "which {src} backs {ans} up",
        "who says {ans}", "where can I see {ans}", "which {src} has {ans}", "point me to where {ans} is said",
        "where does {ans} come from", "what {src} does {ans} come from", "link me the {src} for {ans}",
    ],
}
THIRD_FACTS = [
    "does {thing} mention {x}", "does {thing} include {x}", "does the deal include {x}", "what is {thing} called",
    "who is {thing} written by", "where is {org} based", "what newspaper does the {role} write for",
    "what else did {org} unveil", "what else did {p} say about {x}", "where does {org} get its {x} from",
    "which {src} did {p} quote", "what source did {org} cite", "where did {p} find the {thing}",
    "who is the writer of {thing}", "which report did {org} publish", "what is the report on {x} called",
    "where did the rumour come from", "where did {p}'s claim come from", "who says {x} is to blame",
    "what is the title of {org}'s report", "when did {org} publish {thing}", "who else did {p} quote",
    "what is the main point of {thing}", "what did {p} say in the interview", "who is quoted in the {role}'s book",
    "what did the {role} find out about {x}", "which {kind} did {p} visit", "which {kind} backed {thing}",
    "how much of {x} comes from {org}", "is {x} part of {thing}", "what is in {thing}",
]

# A fourth batch, written without reading the fourth held-out set's items or misses (only its
# per-kind figures): new voices (formal, blunt, second-language, voice-typed), new names for the
# document ({d}), fact questions about writers, dates and places of things inside the article,
# and elliptical follow-ups ("and in X?") that are facts.
NEWS = ["the write-up", "the copy", "this one", "the thing", "the news piece", "the bulletin", "the dispatch",
        "the press release", "the op-ed", "the blog post", "the main story", "the item above", "what I opened",
        "the reading", "this news", "the entry", "the summary page", "the clipping", "the wire story", "this read"]
FOURTH_REQUESTS: dict[str, list[str]] = {
    "summary": [
        "I need an overview of {d}", "could you provide a synopsis of {d}", "recap {d}", "a recap please",
        "brief me on {d}", "what's the upshot of {d}", "in short, what happened", "what's {d} saying overall",
        "quick rundown of {d}", "the rundown?", "condense {d}", "explain {d} simply", "abstract of {d}",
        "what are the highlights of {d}", "give me the bottom line of {d}", "what's the big picture in {d}",
    ],
    "about:author": [
        "who is the journalist responsible for {d}", "who was {d} written by, exactly", "writer's name for {d}",
        "by-line?", "the name under the headline", "whos the writer",
        "who is signed under {d}",
    ],
    "about:date": ["what day did {d} go out", "when was {d} put out", "timestamp of {d}?", "{d} dates from when",
                   "what month is {d} from"],
    "about:place": ["where was {d} sent from", "from which city was {d} reported", "location of the dateline?"],
    "about:source": ["what outlet put {d} out", "who carried {d}", "which publication is behind {d}",
                     "what media is {d} from"],
    "about:title": ["what's the heading of {d}", "title of {d} please", "how is {d} headlined"],
    "mentions": [
        "does {x} appear anywhere in {d}", "I'm looking for {x} in {d}", "is {x} brought up anywhere",
        "does {d} have a part on {x}", "can you locate {x} in {d}", "is {x} a topic in {d}",
        "does {d} reference {x} at all", "spot {x} in {d}", "what lines mention {x}", "anywhere it says {x}?",
        "is there a sentence on {x}", "{x} - is it in {d}", "tell me if {d} mentions {x}",
        "does the word {x} come up", "mentions of {x} in {d}, please", "check whether {x} is in {d}",
        "does {d} speak of {x}", "did {d} note {x}", "is {x} included anywhere", "where's {x} in {d}",
    ],
    "entities": [
        "enumerate the {kind} in {d}", "what {kind} are named in {d}", "who all is in {d}",
        "list who appears in {d}", "the cast of {d}?", "tell me the {kind} {d} names",
    ],
    "more": [
        "go ahead", "proceed", "please continue", "what comes next", "more, please", "next part",
        "say some more", "tell me further", "any further details", "what else can you tell me",
        "keep on", "what follows", "and more?", "more about it", "what other things does {d} say",
        "continue the answer", "the rest please", "give me the next bit", "anything more on this",
    ],
    "source": [
        "where exactly is {ans} written", "what is {ans} quoted from", "give me the source for {ans}",
        "in which {src} did you see {ans}", "what backs {ans}", "where's the proof of {ans}",
        "which line says {ans}", "can you cite {ans}", "show the passage behind {ans}", "reference for {ans}?",
        "what {src} supports {ans}", "where is {ans} stated", "is {ans} from {d}", "what are you basing {ans} on",
        "origin of {ans}?", "how do you know {ans}", "which bit of {d} says {ans}", "quote the source of {ans}",
    ],
}
FOURTH_FACTS = [
    "who is the author of the proposal on {x}", "where was {thing} signed", "when was {thing} announced",
    "who wrote the lyrics of the song", "what is the name of {org}'s new head", "where was {event} held",
    "when does {event} start", "which agency reported {x}", "which newspaper interviewed {p}",
    "who is {org}'s spokesperson", "what did {p} mention about {x}", "does {p} mention {x} in {thing}",
    "what else happened at {event}", "what happened next at {event}", "tell me more about {p}'s plan for {x}",
    "where did {p} get the figures", "what is the source of the water", "who was quoted by the {role}",
    "which {kind} did {thing} name", "which {kind} are mentioned in {thing}", "what is the headline of {org}'s report",
    "what did {p} summarise at {event}", "what was the outcome of {event}", "who gave the overview at {event}",
    "what did the {role} write in the op-ed", "when was the {role}'s report released", "who dated the letter",
    "what title did {p} hold", "who continued {org}'s work", "where did {p} read the statement",
    # elliptical follow-ups in a chat: the same fact question about another subject
    "and in {x}?", "and what about {x}", "what about in {x}", "how about {x}", "and for {org}?",
    "same question for {x}", "and {p}?", "what about {p}", "and in {x}", "and the {role}?", "and at {event}?",
    "how about at {event}", "and for {x}", "what about {org}", "and in {x} then",
]

# A fifth batch, written from the fourth held-out set's misses (that set is trained on from here
# on): the short version and "what's it all about", a word or a part of the document looked for,
# every person named, more from the document, the bare "source?", and fact questions about the
# names, causes, lists and contents of things inside the article, and yes/no questions about the
# world (a first fit read "Is Tokyo the capital of Japan?", a test's fact, as a mentions request).
NAMED = ["the ship", "the virus", "the storm", "the operation", "the band", "the new drug", "the project",
         "the app", "the rocket", "the hurricane", "the new party", "the mission"]
CAUSES = ["the outbreak", "the leak", "the fire", "the contamination", "the rumour", "the oil spill", "the delays",
          "the blackout", "the shortage", "the pollution"]
LISTS = ["the shortlist", "the ballot", "the guest list", "the list", "the sanctions list", "the team sheet",
         "the panel", "the nominations"]
WORKS = ["the book", "the film", "the play", "the lawsuit", "the bill", "the documentary", "the album",
         "the podcast", "the new law", "the treaty", "the novel", "the memoir", "the series", "the exhibition"]
FIFTH_REQUESTS: dict[str, list[str]] = {
    "summary": [
        "so what's {d} all about then", "what's all this about", "what is it all about", "what's this all about",
        "executive summary of {d}", "can I have the executive summary", "the short version please",
        "give me the short version of {d}", "distil {d} into a few lines", "{d} in a few lines",
        "{d} in one sentence", "put {d} in a couple of sentences", "reduce {d} to the essentials",
        "what's the essence of {d}", "fill me in on {d}", "catch me up on {d}", "I didn't read {d}, what did I miss",
        "what's {d} trying to tell me", "shorten {d} for me", "what's the story here",
    ],
    "about:author": ["who put {d} together", "name the author of {d}", "which writer is responsible for {d}",
                     "who's the author"],
    "about:date": ["when is {d} from", "date {d} was published?", "how long ago was {d} written", "is {d} recent"],
    "about:place": ["where was {d} written", "which city was {d} written in"],
    "about:source": ["which newspaper is {d} from", "what's the publication of {d}", "who printed {d}"],
    "about:title": ["what's the title", "what was {d} titled", "headline of {d}?"],
    "mentions": [
        'is the word "{x}" in {d}', "is the word {x} used in {d}", "does {d} use the term {x}",
        "does it say anything abt {x}", "anything abt {x} in {d}", "smth on {x} in {d}?",
        "point me to the part about {x}", "show me the bit on {x}", "take me to where {d} discusses {x}",
        "which part of {d} covers {x}", "find the section on {x}", "jump to the part on {x}",
        "is {x} talked about in {d}", "does {d} say a word about {x}",
    ],
    "entities": [
        "tell me every person {d} names", "every {kind} in {d}, please", "name all the {kind} {d} refers to",
        "which {kind} does {d} bring up", "who shows up in {d}", "all the {kind} mentioned in {d}",
        "give me a list of the {kind} in {d}", "any {kind} named in {d}?",
    ],
    "more": [
        "what follows that in {d}", "what comes after that in {d}", "give me more from {d}", "more from {d} please",
        "read me the next part of {d}", "what does {d} say after that", "and after that?", "what's next in {d}",
        "show me more of {d}", "keep reading",
    ],
    "source": ["whats the source", "the source?", "source pls", "what's your source", "sources?",
               "and the source is", "what source", "source for this?"],
}
FIFTH_FACTS = [
    "what's the name of {named}", "what is {named} called", "what was {named} named after",
    "what's the source of {cause}", "where did {cause} come from", "what caused {cause}",
    "where is {org} headquartered", "where's {org}'s main office", "where is {org} based now",
    "what names were on {list}", "who was on {list}", "which {kind} are on {list}", "who drew up {list}",
    "what's {work} about", "what is {work} about", "what's the story of {work}", "what happens in {work}",
    "who wrote {work}", "when did {work} come out", "where was {work} published", "what's the title of {work}",
    "who is the author of {work}", "does {work} mention {x}", "what does {work} say about {x}",
    "which {kind} does {work} name", "what else is in {work}", "what comes after {event}", "what follows {event}",
    # yes/no questions about the world, not about the document: "is X in there" asks for a mention
    "is {x} the biggest problem for {org}", "is {p} the new head of {org}", "is {x} part of {work}",
    "is {p} still in charge of {org}", "was {p} at {event}", "is {x} allowed under {work}",
    "is {org} in favour of {thing}", "is {x} the reason for {cause}", "was {named} in the news before",
    "is {x} in trouble", "is {p} in {x} now", "is {org} the owner of {named}",
]

# A sixth batch, written from the fifth held-out set's misses (that set is trained on from here
# on): a recap for someone who missed the document, what "they" report, when and where it was
# released and who printed it, whether a topic is covered or included at all, the names and the
# people quoted in it, carrying on where the reply stopped, where a claim is written; and fact
# questions in the same words about things inside the article. New names for the document: {e}.
LATER = ["the longread", "the explainer", "the newsletter item", "this thing", "the doc", "the file",
         "the upload", "what you have", "the material", "the brief", "the wire copy", "the release"]
SIXTH_REQUESTS: dict[str, list[str]] = {
    "summary": [
        "recap {e} for someone who skipped it", "I missed {e}, recap it", "précis of {e}", "a précis please",
        "what are they reporting in {e}", "what's being reported here", "what is {e} reporting",
        "the main thing {e} reports", "what's {e} on about", "in short, what does {e} say",
        "summarise what you have", "what's the news in {e}", "{e}, briefly", "quick rundown of {e}",
    ],
    "about:author": ["who did the writing of {e}", "whose work is {e}", "who's credited on {e}"],
    "about:date": ["which day did {e} come out", "on what day was {e} released", "when did {e} go out",
                   "what day is {e} dated"],
    "about:place": ["where was the reporter when writing {e}", "where was {e} filed from", "where was the writer based"],
    "about:source": ["which paper printed {e}", "who is the publisher of {e}", "who ran {e}",
                     "what outlet put {e} out", "where did {e} appear"],
    "about:title": ["what is {e} headlined", "the title of {e}?"],
    "mentions": [
        "check whether {e} names {x}", "check if {e} brings up {x}", "is there something about {x} in {e}",
        "does {e} cover {x} at all", "does {e} deal with {x}", "has the author said anything regarding {x}",
        "has {e} got anything on {x}", "is {x} mentioned in {e}", "are {x} mentioned in this thing",
        "did the writer include anything on {x}", "did {e} touch on {x}", "any reference to {x} in {e}",
        "does {x} come up in {e}", "is {x} in {e} anywhere",
    ],
    "entities": [
        "give me the names in {e}", "which {kind} are referenced in {e}", "what {kind} does {e} mention",
        "who gets quoted in {e}", "who is quoted in {e}", "a list of {kind} from {e} please",
        "list the {kind} in {e}", "who are the people in {e}", "everyone {e} names", "which {kind} appear in {e}",
        "pull the {kind} out of {e}",
    ],
    "more": [
        "please resume where you left off", "pick up where you stopped", "resume", "carry on from there",
        "flesh that out", "flesh that out a bit more", "expand that", "go into more detail",
        "is that really all of it", "is that everything", "there must be more", "is that the end",
        "then what happened", "and then?", "what happened after that", "don't stop", "keep going with that",
        "more detail on that", "continue please",
    ],
    "source": [
        "whereabouts in {e} is that", "which part of {e} says that", "who stated that, which text",
        "where is this written", "where is that written", "where's that stated", "in which sentence is that",
        "which text says that", "show me where that is", "what line is that from", "prove that",
        "where did that come from",
    ],
}
SIXTH_FACTS = [
    "recap what {p} said about {x}", "what is {org} reporting about {x}", "what did {org} report on {x}",
    "which day did {event} start", "on what day was {p} released", "when did {work} go out on air",
    "where was {p} when {cause} started", "where was {p} based", "where was {work} filmed",
    "which paper printed {p}'s letter", "who is the publisher of {work}", "who ran {org} before {p}",
    "did {p} cover {x} in {work}", "does {thing} deal with {x}", "has {p} said anything regarding {x}",
    "did {org} include anything on {x} in {thing}", "is {x} covered by {thing}",
    "which {kind} are named in {thing}", "who gets quoted most by {p}", "who was quoted by {org}",
    "who are the people behind {named}", "which {kind} signed {thing}", "which {kind} took part in {event}",
    "then what happened to {p}", "what happened after {event}", "what did {p} do next",
    "did {org} resume {x} talks", "is {event} really over", "is that the end of {work}",
    "where is {x} written in the law", "who stated that {x} was to blame", "what did {p} state about {x}",
    "where did the idea for {work} come from", "which part of {org} deals with {x}",
]

ROLES = ["journalist", "reporter", "author", "writer", "editor", "correspondent", "publisher", "blogger",
         "columnist", "photographer"]
EVENTS = ["the conference", "the summit", "the festival", "the meeting", "the debate", "the exhibition",
          "the hearing", "the trial", "the vote", "the concert", "the election", "the talks"]
ADJ = ["UN", "annual", "police", "new", "official", "leaked", "government", "quarterly", "World Bank", "internal"]
POLITE = ["", "", "", "please ", "can you ", "could you ", "hey, ", "ok ", "so ", "I want to know ", "quick question: "]
END = ["", "", "?", "?", "?", ".", " please", " pls", "??", " thanks"]


def _typo(text: str, rng: random.Random) -> str:
    """One slip of the keyboard in a word of four letters or more."""
    words = text.split(" ")
    spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not spots:
        return text
    i = rng.choice(spots)
    w, j = words[i], rng.randrange(1, len(words[i]) - 1)
    words[i] = rng.choice([w[:j] + w[j + 1:], w[:j] + w[j + 1] + w[j] + w[j + 2:], w[:j] + w[j] + w[j:]])
    return " ".join(words)


def _styled(text: str, rng: random.Random) -> str:
    text = rng.choice(POLITE) + text + rng.choice(END)
    for _ in range(2):
        if rng.random() < 0.2:
            text = _typo(text, rng)
    if rng.random() < 0.5:
        text = text[0].upper() + text[1:]
    if rng.random() < 0.15:
        text = text.replace("'", "")
    return re.sub(r"\s+", " ", text).strip()


def restyled(question: str, rng: random.Random) -> str:
    """A real question written as people type into a box: lower case, no question mark, a slip.
    Applied to the fact questions too, so that style is no sign of a request."""
    if rng.random() < 0.4:
        question = question.rstrip(" ?")
    if rng.random() < 0.4:
        question = question.lower()
    if rng.random() < 0.2:
        question = _typo(question, rng)
    return question


def _fill(frame: str, rng: random.Random) -> str:
    return frame.format(doc=rng.choice(DOCS), x=rng.choice(TOPICS), p=rng.choice(PEOPLE), thing=rng.choice(THINGS),
                        org=rng.choice(ORGS), adj=rng.choice(ADJ), role=rng.choice(ROLES), event=rng.choice(EVENTS),
                        kind=rng.choice(KINDS), ans=rng.choice(ANSWERS), src=rng.choice(SOURCES),
                        d=rng.choice(NEWS + DOCS) if "{d}" in frame else "",   # drawn last: earlier batches unchanged
                        named=rng.choice(NAMED) if "{named}" in frame else "",
                        cause=rng.choice(CAUSES) if "{cause}" in frame else "",
                        list=rng.choice(LISTS) if "{list}" in frame else "",
                        work=rng.choice(WORKS) if "{work}" in frame else "",
                        e=rng.choice(LATER + NEWS) if "{e}" in frame else "")


def phrasings(per_frame: int = 6, seed: int = 0) -> list[tuple[str, str]]:
    """(question, label) pairs: each frame filled `per_frame` times, styled at random."""
    rng = random.Random(seed)
    out = []
    batches = (list(REQUESTS.items()) + [("fact", FACTS)] + list(MORE_REQUESTS.items()) + [("fact", MORE_FACTS)]
               + list(THIRD_REQUESTS.items()) + [("fact", THIRD_FACTS)]
               + list(FOURTH_REQUESTS.items()) + [("fact", FOURTH_FACTS)]
               + list(FIFTH_REQUESTS.items()) + [("fact", FIFTH_FACTS)]
               + list(SIXTH_REQUESTS.items()) + [("fact", SIXTH_FACTS)])
    for label, frames in batches:
        for frame in frames:
            n = per_frame if "{" in frame else 3
            out += [(_styled(_fill(frame, rng), rng), label) for _ in range(n)]
    return list(dict.fromkeys(out))

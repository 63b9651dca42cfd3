"""English phrasings of requests about a document as a whole (summary, author, mentions, "tell me
more"), matched against a normalised question (`routing.intents.normalise`). General English only:
nothing here may name an article's topic."""
from __future__ import annotations

import re

# A reference to the document itself: "the article", "this story", "it".
DOC = r"(?:(?:the|this|that|your|the current|this news|the news)\s+)?(?:news\s+)?(?:article|story|text|piece|document|write-?up|post|page|item)"
DOC_OR_IT = rf"(?:{DOC}|it|this|that)"
IN_DOC = rf"(?:\s+(?:in|from|by|of|within|inside|throughout)\s+{DOC_OR_IT})?"

# Framing that carries no meaning: "please", "can you", "I'd like to know", "tell me".
POLITE_START = re.compile(
    r"^(?:(?:please|pls|ok(?:ay)?|so|hey|hi|hello|now|well|quick question|question|can you|could you|"
    r"would you|will you|can u|would you mind|i want you to|i'd like you to|i would like you to|"
    r"i(?:'d| would) like to know|i want to know|i wonder|i'm wondering|do you know|let me know|"
    r"tell me|help me understand|just)[\s,:]+)+")
POLITE_END = re.compile(r"(?:[\s,]+(?:please|pls|for me|thanks|thank you|briefly|quickly|again))+$")

# Summary cues; once they and references to the document are removed, nothing of substance may remain.
SUMMARY_CUES = [re.compile(p) for p in (
    r"\bsumm?ar(?:y|ies|i[sz]e[ds]?|i[sz]ing|i[sz]ation)\b",
    r"\bsum (?:it |this |that |things )?up\b", r"\brecap\b", r"\btl\s?;?\s?dr\b", r"\bgist\b",
    r"\bsynopsis\b", r"\boverview\b", r"\brun-?down\b", r"\blow-?down\b", r"\bnutshell\b",
    r"\bshort version\b|\blong story short\b|\bcliff'?s? ?notes\b|\bbig picture\b",
    r"\b(?:main|key|central|important|big|major|top|overall|general) (?:points?|ideas?|message|messages|takeaways?|"
    r"arguments?|issues?|topics?|themes?|facts|news|things|details|findings|story|thrust|lines?)\b",
    r"\btake-?aways?\b", r"\bhighlights\b", r"\bin brief\b", r"\bbrief(?:ly)?\b", r"\bbottom line\b",
    r"\bin (?:one|a single|1|a few|two|three|four|\d+|plain|simple|short) (?:sentences?|lines?|words?|"
    r"bullet points?|bullets|paragraphs?|english|terms)\b", r"\bin short\b",
    rf"\bwhat(?:'s| is| was)? {DOC_OR_IT}(?: all| mainly| mostly| really)? (?:about|on)\b",
    rf"\bwhat(?:'s| is| are| was)? (?:the )?(?:point|topic|subject|theme|focus|purpose|thesis|angle|"
    rf"headline news|story)s?(?: of {DOC_OR_IT})?\b",
    rf"\b{DOC}(?:'s)? (?:topic|subject|theme|focus|point)s?\b",
    rf"\bwhat (?:does|did) {DOC_OR_IT} (?:say|cover|discuss|tell us|tell me|report|describe|talk about|deal with)\b",
    rf"\b(?:describe|explain|outline|paraphrase|condense|digest|break down|walk me through|talk me "
    rf"through|fill me in on|brief me on|tell me about|give me|what about) {DOC}\b",
    r"^what(?:'s| is)? (?:going on|happening|the news|the story|new|up)$", r"^what happened$",
    r"^(?:and )?(?:so )?what(?:'s| is) (?:it|this)(?: all)? about$",
)]
# Words that may remain around a summary cue: the request's framing, not a topic.
SUMMARY_FILLER = frozenset("""
a an the this that it its article story text piece document news item post page writeup write-up
give me us provide write make do can could would you please what whats is are was were of in on
for about main key short quick brief briefly one single sentence sentences line lines word words few
two three four bullet bullets points point paragraph paragraphs plain simple english terms version
your overall general whole entire all really just basically mostly mainly i want need like to know
get tell say says said read reading bit here up what's whats it's
""".split())

ABOUT_FIELDS: list[tuple[str, re.Pattern]] = [(field, re.compile(p)) for field, p in (
    ("author", rf"^(?:who|whom) (?:wrote|authored|penned|reported|filed|writes|has written|is writing)"
               rf"(?: {DOC_OR_IT})?$"),
    ("author", rf"^who(?:'s| is| was| are| were) (?:the )?(?:author|writer|reporter|journalist|"
               rf"correspondent|byline)s?(?: (?:of|behind|for|on) {DOC_OR_IT})?$"),
    ("author", rf"^(?:(?:what|who)(?:'s| is| was) )?(?:the )?(?:name of the )?(?:author|writer|byline|"
               rf"reporter|journalist)(?:'s name| name)?(?: (?:of|behind|for|on) {DOC_OR_IT})?$"),
    ("author", rf"^(?:by whom|written by whom|who by) (?:was|is) {DOC_OR_IT} (?:written|authored|"
               rf"reported|penned)$"),
    ("author", rf"^(?:who|whom) (?:was|is) {DOC_OR_IT} (?:written|authored|reported|penned) by$"),
    ("author", rf"^(?:what|who) is {DOC}'s (?:author|writer|byline)$"),
    ("date", rf"^when (?:was|is|did) {DOC_OR_IT} (?:published|written|posted|released|dated|come out|"
             rf"came out|filed|put out|appear|appeared|updated|printed)$"),
    ("date", rf"^(?:what|which) (?:is |was )?(?:the )?(?:date|publication date|day|year)(?: (?:of|on|for) "
             rf"{DOC_OR_IT})?$"),
    ("date", rf"^(?:what|which) (?:date|day|year|month) (?:was|is) {DOC_OR_IT} (?:from|published|"
             rf"written|posted|dated)$"),
    ("date", rf"^(?:the )?(?:publication|published|release|posting) date(?: of {DOC_OR_IT})?$"),
    ("date", rf"^how (?:old|recent|new) is {DOC_OR_IT}$"),
    ("place", rf"^where (?:was|is) {DOC_OR_IT} (?:written|filed|reported|datelined|dated)(?: from)?$"),
    ("place", rf"^(?:what|where)(?:'s| is) (?:the )?dateline(?: of {DOC_OR_IT})?$|^(?:the )?dateline$"),
    ("place", rf"^(?:from )?where (?:was|is) {DOC_OR_IT} (?:reported|filed|written) from$"),
    ("source", rf"^(?:what|which|where)(?:'s| is| was) (?:the )?(?:source|origin|publication|publisher|"
               rf"newspaper|outlet|site|website|url|link|file)(?: (?:of|for|behind) {DOC_OR_IT})?$"),
    ("source", rf"^(?:which|what) (?:newspaper|paper|publication|outlet|site|website|news agency|agency|"
               rf"publisher|media outlet|news organi[sz]ation) (?:published|ran|carried|wrote|printed|"
               rf"released) {DOC_OR_IT}$"),
    ("source", rf"^(?:which|what) (?:newspaper|paper|publication|outlet|site|website|news agency|"
               rf"publisher) is {DOC_OR_IT} from$"),
    ("source", rf"^where (?:does|did) {DOC} come from$|^where (?:is|was) {DOC} (?:from|published)$"),
    ("source", rf"^(?:where|who) published {DOC_OR_IT}$"),
    ("title", rf"^what(?:'s| is| was)? (?:the )?(?:title|headline|heading|name)(?: (?:of|for|on) {DOC_OR_IT})?$"),
    ("title", rf"^what(?:'s| is| was) {DOC}(?:'s)? (?:called|titled|named|title|headline)$"),
    ("title", rf"^what(?:'s| is) {DOC} (?:called|titled|named)$"),
)]

_X = r"(?P<x>.+?)"
MENTIONS = [re.compile(p) for p in (
    rf"^(?:is|are|was|were) {_X} (?:ever |even |at all |anywhere |also |actually |specifically )?"
    rf"(?:mentioned|named|cited|discussed|covered|referenced|referred to|talked about|brought up|"
    rf"featured|included|in there|in it|spoken of|written about|quoted)(?: anywhere| at all| somewhere)?{IN_DOC}$",
    rf"^(?:does|did|do) {DOC_OR_IT} (?:ever |even |also |actually )?(?:mention|name|cite|discuss|cover|"
    rf"reference|refer to|talk about|bring up|include|feature|touch on|touch upon|say anything about|"
    rf"say something about|say much about|say a word about|have anything (?:on|about)|speak of|"
    rf"write about|deal with|address) {_X}$",
    rf"^(?:where|in which (?:sentences?|places?|paragraphs?|parts?)|which (?:sentences?|paragraphs?|parts?)|"
    rf"at what point)(?: does| did| do)?(?: {DOC_OR_IT})? (?:talk about|mention|discuss|refer to|"
    rf"say anything about|cover|deal with|bring up|name|speak of|write about|touch on) {_X}$",
    rf"^(?:where|in which (?:sentences?|places?|paragraphs?|parts?))(?: in {DOC_OR_IT})? (?:is|are|was|were) {_X} "
    rf"(?:mentioned|named|cited|discussed|referenced|referred to|talked about){IN_DOC}$",
    rf"^(?:is there |are there |was there |were there )?(?:any |a )?(?:mentions?|references?|word|talk) "
    rf"(?:of|to|about|on) {_X}{IN_DOC}$",
    rf"^how (?:many times|often) (?:is|are|was|were) {_X} (?:mentioned|named|cited|referenced){IN_DOC}$",
    rf"^how (?:many times|often) (?:does|did) {DOC_OR_IT} (?:mention|name|cite|refer to) {_X}$",
    rf"^(?:find|show|show me|search for|look for|highlight|quote|list)(?: me)?(?: all| every)?(?: the)? "
    rf"(?:mentions?|references?|sentences?|places?|passages?) (?:of|to|about|mentioning|that mention|"
    rf"naming|with|on) {_X}{IN_DOC}$",
    rf"^(?:what|anything) (?:does|did) {DOC_OR_IT} (?:say|tell us|report|write) (?:about|on|regarding) {_X}$",
    rf"^(?:what|anything) (?:is|was) (?:said|written|reported) (?:about|on|regarding) {_X}{IN_DOC}$",
)]
# "What does it say about X": when X is not in the text, the question goes to the fact answer.
MENTIONS_SOFT = MENTIONS[-2:]

_KIND = (r"(?P<type>people|persons|person|individuals|officials|figures|names|countries|nations|states|"
         r"places|locations|cities|organi[sz]ations|companies|groups|institutions|agencies|entities|"
         r"players|leaders|politicians|ones|parties|actors)")
ENTITIES = [re.compile(p) for p in (
    rf"^(?:who|which|what)(?: (?:other|else|all|of the))?(?: {_KIND})? (?:is|are|was|were|gets?|got|have "
    rf"been|has been|do they|does it|does the article) ?(?:mentioned|named|cited|quoted|referred to|"
    rf"featured|referenced|in it|in there|involved|talked about|discussed|listed|interviewed|mention|name|"
    rf"quote|cite)(?: by name)?{IN_DOC}$",
    rf"^(?:who|(?:which|what) {_KIND}) (?:does|did) {DOC_OR_IT} (?:mention|name|quote|cite|feature|"
    rf"refer to|talk about|discuss|list)$",
    rf"^(?:list|name|give me|show me|enumerate|identify|tell me)(?: all| every| each)?(?: of)?(?: the)? "
    rf"{_KIND}(?: (?:mentioned|named|quoted|cited|featured|referenced|involved|that (?:are|appear|get) "
    rf"(?:mentioned|named|quoted))|(?: (?:in|from) {DOC_OR_IT}))*$",
    rf"^who (?:appears|speaks|is interviewed|are the (?:people|main people|key people|main players|key "
    rf"players|main figures|key figures|officials|sources))(?: (?:in|from) {DOC_OR_IT})?$",
    rf"^who(?:'s| is| are) (?:in|quoted in|named in|mentioned in) {DOC_OR_IT}$",
    rf"^(?:which|what) {_KIND} (?:appear|are there|feature){IN_DOC}$",
)]

MORE = [re.compile(p) for p in (
    r"^(?:(?:tell|give|show) (?:me|us) )?(?:(?:a )?(?:little |bit |lot )?(?:some |any )?more|"
    r"(?:a )?(?:bit|little) more)(?: (?:please|details?|info|information|detail|context|on (?:that|this|it)|"
    r"about (?:that|this|it|him|her|them|those|these)|of (?:that|this|it)))*$",
    r"^(?:go on|continue|keep going|carry on|and then|then what|what then|and|and\?|so|so what|what else|"
    r"anything else|what more|what next|and after that|what happened (?:next|then|after that|afterwards)|"
    r"how so|why|why so|why is that|why was that|how come|details|more details|more detail|"
    r"any more details|any other details|elaborate|expand|say more|is there more|anything more|"
    r"is that all|what's more|what's next|next)$",
    r"^(?:elaborate|expand|go on|say more|tell me more|continue)(?: (?:on|about|with) (?:that|this|it|"
    r"the (?:last|previous) (?:answer|point|one)))?$",
    r"^can you (?:elaborate|expand|go on|say more|continue)(?: (?:on|about) (?:that|this|it))?$",
    # "What else did he say?", not "What else is produced there?": a speaker or the article, and a verb of telling.
    rf"^what else (?:did|does|do|has|had|can|could|would) (?P<rest>(?:he|she|they|it|we|you|{DOC}|[\w.'’-]+"
    rf"(?: [\w.'’-]+){{0,3}}) (?:say|said|tell|told|add|added|mention|mentioned|announce|claim|report|know|"
    rf"learn|reveal|explain|do)(?: about (?:it|that|this|him|her|them))?)$",
    r"^what else (?:is|was) (?:there|said|known|new|reported)$|^what else happened$",
    r"^(?:and |so )?(?:then )?(?:what happened (?:next|then|after that|afterwards)|what next|what then)$",
    r"^what (?:more|else) (?:is there|do we know|can you tell me|is said|was said)(?: about (?P<about>.+))?$",
)]

# "Which article says that?": the source of the previous answer.
SOURCE_OF_ANSWER = [re.compile(p) for p in (
    r"^(?:which|what) (?:article|document|story|source|text|file|report)s? (?:says?|said|is (?:that|this|it) "
    r"from|(?:was|is) (?:that|this|it) (?:from|in)|did (?:that|this|it) come from|(?:mentions?|contains?|"
    r"has|had|says?) (?:that|this|it))$",
    r"^(?:where|from which (?:article|document|story|source)) (?:did|does) (?:that|this|it) come from$",
    r"^(?:what(?:'s| is) (?:your|the) source(?: for (?:that|this))?|sources?|according to (?:what|which|whom))$",
    r"^where did you (?:get|find|read|see) (?:that|this|it)$",
    r"^(?:which|what) (?:article|document|story) (?:was|is) (?:that|this|it)$",
)]

# Entity labels by the kind of names asked for.
KIND_LABELS = {
    "people": ("PERSON",), "persons": ("PERSON",), "person": ("PERSON",), "individuals": ("PERSON",),
    "officials": ("PERSON",), "figures": ("PERSON",), "players": ("PERSON", "ORG"),
    "leaders": ("PERSON",), "politicians": ("PERSON",), "actors": ("PERSON", "ORG", "GPE"),
    "countries": ("GPE",), "nations": ("GPE",), "states": ("GPE",), "places": ("GPE", "LOC", "FAC"),
    "locations": ("GPE", "LOC", "FAC"), "cities": ("GPE",), "organisations": ("ORG",),
    "organizations": ("ORG",), "companies": ("ORG",), "groups": ("ORG", "NORP"), "institutions": ("ORG",),
    "agencies": ("ORG",), "parties": ("ORG",),
}
WHO_LABELS = ("PERSON",)
ALL_LABELS = ("PERSON", "ORG", "GPE", "LOC")

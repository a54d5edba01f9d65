"""Surface-form heuristics for names in news text: word lists and token-level tests.

The small English NER model misses rare names, includes titles and possessives, and mislabels
people and organisations; these tests let the actor resolver repair that.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "judge", "justice", "president", "senator", "sen",
    "rep", "representative", "minister", "governor", "mayor", "sir", "dame", "lord", "lady",
    "chancellor", "secretary", "commissioner", "ceo", "chairman", "chairwoman", "professor",
    "songwriter", "singer", "analyst", "economist", "lawyer", "attorney", "activist", "campaigner", "captain",
    "coach", "striker", "researcher", "author", "journalist", "editor", "mp", "mep", "councillor", "gen", "perfumer", "designer",
}
# ranks, offices and party labels the small NER keeps at the front of a person's name ("Speaker Nancy
# Pelosi", "Colonel Alexander Vindman", "Democrat Hillary Clinton"); only stripped from PERSON
# spans, since in an organisation's name they belong to it ("Republican National Committee")
PERSON_PREFIXES = {
    "presidential", "superintendent", "inspector", "chief", "spokesperson", "spokesman", "spokeswoman",
    "speaker", "leader", "adviser", "advisor", "colonel", "col", "lieutenant", "lt", "major", "sergeant",
    "sgt", "ambassador", "amb", "judges", "justices", "taoiseach", "democrat", "republican", "congressman",
    "congresswoman", "lawmaker", "commander", "admiral", "prime", "foreign", "affairs", "deputy", "rev",
    "reverend", "pope", "queen", "prince", "princess", "sheikh", "premier", "detective",
}
LEADING_STOP = {"the", "a", "an", "former", "ex", "new"}
ACRONYM_SKIP = {"of", "the", "and", "for", "&", "de", "du", "des", "la", "le", "in", "on", "at", "to"}
ROLE_WORDS = {
    "spokesman", "spokeswoman", "spokesperson", "founder", "co-founder", "cofounder", "ceo",
    "chief", "executive", "president", "chairman", "chairwoman", "chair", "director", "head",
    "manager", "official", "officer", "employee", "staff", "representative", "engineer", "vp",
    "vice", "boss", "owner", "general", "counsel",
}
CAMEL_CASE = re.compile(r"^[A-Z][a-z]+(?:[A-Z][a-z]+)+$")
ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}$")
TRAILING_STOP = {"'s", "’s", "'", "’", "of", "and", "the", "for", "in", "on", "at", "to", "million", "billion", "bn", "m"}
# single capitalised words that name a kind of organisation, not one organisation
GENERIC_WORDS = {
    "customs", "vat", "party", "council", "media", "alliance", "gazette", "court", "government", "ministry",
    "parliament", "police", "union", "commission", "committee", "agency", "authority", "board", "bank",
    "group", "company", "congress", "senate", "treasury", "cabinet", "state", "federal", "smaller",
    "management", "investors", "shareholders", "analysts", "regulators", "prosecutors", "europe",
}
ORG_HEADS = {
    "union", "association", "federation", "council", "authority", "commission", "committee", "ministry",
    "department", "agency", "court", "tribunal", "bank", "group", "holdings", "partners", "capital", "foods",
    "telecom", "airways", "airlines", "air", "motors", "pharma", "pharmaceuticals", "press", "post", "herald",
    "gazette", "times", "daily", "weekly", "journal", "review", "echo", "courier", "tribune", "chronicle",
    "observer", "network", "alliance", "coalition", "collective", "initiative", "foundation", "institute",
    "centre", "center", "watch", "forum", "league", "society", "fund", "trust", "hotels", "payments",
    "securities", "research", "lab", "labs", "records", "studios", "games", "club", "party", "university",
    "polytechnic", "college", "ombudsman", "office", "bureau", "board", "chamber", "guild", "cooperative",
    "consortium", "services", "systems", "technologies", "industries", "ventures", "advisers", "advisors",
    "consulting", "insurance", "energy", "logistics", "retail", "media", "news", "magazine", "wire",
}
# last words that make a capitalised name a law, an event, a programme or a vehicle, not an actor
NON_ACTOR_HEADS = {"law", "bill", "act", "treaty", "accord", "agreement", "program", "programme", "conference",
                   "summit", "championship", "championships", "cup", "olympics", "festival", "award", "awards",
                   "prize", "shuttle", "convention", "amendment", "constitution", "plan", "protocol", "doctrine"}
# common nouns next to a name that make it a product, not an actor ("its AI Overviews feature",
# "the game Fortnite"); names in the KB are exempt
PRODUCT_NOUNS = {"feature", "features", "app", "apps", "game", "games", "service", "software", "browser", "console",
                 "phone", "smartphone", "device", "tool", "product", "chatbot", "update", "plugin", "extension",
                 "operating", "video", "film", "movie", "show", "series", "album", "song", "book", "novel"}
# tokens the small NER takes for organisations
NOT_NAMES = {"UTC", "GMT", "BST", "CET", "EST", "EDT", "PST", "PDT", "Wikinews"}
# offices held for a place: "London Mayor Sadiq Khan" names a city, not an organisation "London"
PLACE_OFFICES = {"mayor", "governor", "premier", "senator", "councillor", "councilor", "assemblyman",
                 "assemblywoman", "congressman", "congresswoman", "mp", "mep", "lawmaker", "sheriff"}
# words after a name that show it is an organisation ("Morningstar analysts", "Acme shares")
ORG_FOLLOWERS = {"analysts", "analyst", "shares", "stock", "stocks", "spokesman", "spokeswoman", "spokesperson",
                 "employees", "staff", "executives", "investors", "customers", "users", "subscribers", "platform",
                 "website", "app", "inc", "ltd", "plc", "corp", "llc", "gmbh", "headquarters"}
# articles that start a name in several languages ("Die Welt", "Le Monde", "El País")
NAME_ARTICLES = {"The", "Die", "Der", "Das", "Le", "La", "Les", "El", "Il", "De"}
NAME_CONNECTORS = {"of", "for", "and", "in", "&", "'", "’", "de", "du", "la", "-"}
WEEKDAYS_MONTHS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
}


def short_forms(name: str) -> set[str]:
    """First and last word of a name ("Kestrel" for Kestrel Pay, "Trump" for Donald Trump)."""
    words = name.split()
    return {w for w in (words[0], words[-1]) if w.lower() not in GENERIC_WORDS} if len(words) > 1 else set()


def majority_label(name: str, labels: Counter) -> str:
    """The NER label most mentions got; on a tie, PERSON for a short name with no organisation word."""
    ranked = labels.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        words = name.split()
        return "PERSON" if len(words) <= 3 and not {w.lower() for w in words} & ORG_HEADS else "ORG"
    return ranked[0][0]


def split_at_possessive(ent: Span) -> list[Span]:
    """"Valdoria's Independent Electoral Commission" names two things; keep them apart."""
    cuts = [t.i for t in ent[:-1] if t.lower_ in ("'s", "’s")]
    if not cuts:
        return [ent]
    parts, start = [], ent.start
    for cut in cuts:
        parts.append(Span(ent.doc, start, cut, label=ent.label_, kb_id=ent.kb_id, span_id=ent.ent_id))
        start = cut + 1
    parts.append(Span(ent.doc, start, ent.end, label=ent.label_, kb_id=ent.kb_id, span_id=ent.ent_id))
    return [p for p in parts if len(p)]


def is_product_mention(span: Span) -> bool:
    """A name used as a product's: a product noun right after it ("AI Overviews feature") or right
    before it ("the game Fortnite")."""
    doc = span.doc
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    return after in PRODUCT_NOUNS or (before in PRODUCT_NOUNS and span.start > 1 and doc[span.start - 2].lower_ == "the")


def split_coordinated(ent: Span, text: str) -> list[Span]:
    """"Bild and Die Welt" names two organisations: split at "and" when a side is named alone
    elsewhere in the text or starts with a name article; "Marks and Spencer" stays whole."""
    cuts = [t.i for t in ent[1:-1] if t.lower_ == "and"]
    if len(cuts) != 1:
        return [ent]
    cut = cuts[0]
    left, right = ent.doc[ent.start:cut], ent.doc[cut + 1:ent.end]
    if not (left[0].is_title or left[0].is_upper) or not (right[0].is_title or right[0].is_upper):
        return [ent]
    elsewhere = any(len(re.findall(rf"(?<!\w){re.escape(side.text)}(?!\w)", text)) > 1 for side in (left, right))
    if not (elsewhere or right[0].text in NAME_ARTICLES):
        return [ent]
    return [Span(ent.doc, ent.start, cut, label=ent.label_), Span(ent.doc, cut + 1, ent.end, label=ent.label_)]


def initials(name: str) -> str:
    """The upper-case initials of a name's content words: "FBI" for "Federal Bureau of Investigation"."""
    return "".join(w[0] for w in name.split() if w.lower() not in ACRONYM_SKIP and w[0].isalpha()).upper()


def shorter_form_of(short: str, full: str) -> bool:
    """Whether ``short`` names the person ``full`` names in another form: "Greg Craig" or
    "Gregory Craig" for "Gregory B. Craig" (same last name, the given name the same or its first
    letters, at least three, and middle names dropped)."""
    s, f = short.split(), full.split()
    if len(s) != 2 or len(f) < 2 or s[-1] != f[-1] or s == f:
        return False
    given, full_given = s[0], f[0]
    return given == full_given or (len(given) >= 3 and full_given.startswith(given) and given.isalpha())


def is_given_name(token) -> bool:
    lower = token.lower_.rstrip(".")
    return (
        token.is_alpha and token.is_title and lower not in STOP_WORDS and lower not in TITLES
        and lower not in ROLE_WORDS and lower not in PERSON_PREFIXES and lower not in GENERIC_WORDS
        and lower not in WEEKDAYS_MONTHS
    )


SPEECH_VERBS = {"said", "says", "told", "added", "argued", "wrote", "warned", "insisted", "noted"}


def looks_like_person(doc: Doc, start: int, end: int) -> bool:
    """Two or three capitalised words introduced as a person: "spokeswoman Ana Ruiz",
    "Ana Ruiz, a spokeswoman for …", "Ana Ruiz said …" — the small NER misses many such names."""
    words = doc[start:end]
    if not 2 <= len(words) <= 3 or any(not t.is_title or t.lower_ in ORG_HEADS | GENERIC_WORDS for t in words):
        return False
    before = doc[start - 1].lower_ if start > 0 else ""
    after = [t.lower_ for t in doc[end : end + 4]]
    introduced = bool(after) and after[0] == "," and bool(set(after[1:]) & (ROLE_WORDS | TITLES))
    return before in ROLE_WORDS | TITLES or introduced or (bool(after) and after[0] in SPEECH_VERBS)


def capitalised_runs(doc: Doc) -> Iterator[tuple[int, int]]:
    """Maximal runs of capitalised words, joined by connectors ("of", "&", "'"), within a line."""
    start = None
    for token in [*doc, None]:
        capitalised = token is not None and token.is_alpha and token.text[0].isupper() and not (
            token.is_sent_start and token.lower_ in STOP_WORDS
        )
        joins = token is not None and start is not None and token.lower_ in NAME_CONNECTORS
        if capitalised and start is None:
            start = token.i
        elif not (capitalised or joins) and start is not None:
            yield start, token.i if token is not None else len(doc)
            start = None

"""Actor extraction: a KB ruler before NER, and a resolver that groups mentions into actors.

The resolver reads ``doc.ents`` (ORG and PERSON, plus anything the KB ruler tagged) and writes
``doc.spans["actors"]`` (one span per mention, ``span.id_`` = canonical actor name),
``doc.spans["targets"]`` (mentions of the targets, including their subsidiaries), ``doc._.actors``
and ``doc._.targets``. It never touches ``doc.ents``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..extensions import install_extensions
from ..kb import KnowledgeBase
from ..text.name_rules import (
    ACRONYM,
    CAMEL_CASE,
    GENERIC_WORDS,
    LEADING_STOP,
    NON_ACTOR_HEADS,
    NOT_NAMES,
    ORG_FOLLOWERS,
    ORG_HEADS,
    PERSON_PREFIXES,
    PLACE_OFFICES,
    ROLE_WORDS,
    TITLES,
    TRAILING_STOP,
    WEEKDAYS_MONTHS,
    capitalised_runs,
    initials,
    is_given_name,
    is_product_mention,
    looks_like_person,
    majority_label,
    short_forms,
    shorter_form_of,
    split_at_possessive,
    split_coordinated,
)
from ..text.sentences import find_mentions
from ..types import Actor, Target

ACTOR_LABELS = {"ORG", "PERSON"}
# subsidiaries of these kinds ARE the target (Taobao is Alibaba); others owned by it (a newspaper,
# a foundation) are actors affiliated with it
FOLDED_KINDS = {"platform", "company", "brand", "group", None}


def parse_targets(targets: Iterable[str | dict | Target] | None) -> list[Target]:
    """Accept "Name", "Name=Alias1|Alias2", {"name", "aliases"} or Target."""
    parsed = []
    for item in targets or ():
        if isinstance(item, Target):
            parsed.append(item)
        elif isinstance(item, dict):
            parsed.append(Target(item["name"], list(item.get("aliases", []))))
        elif isinstance(item, str) and item.strip():
            name, _, aliases = item.partition("=")
            parsed.append(Target(name.strip(), [a.strip() for a in aliases.split("|") if a.strip()]))
        else:
            raise TypeError(f"A target must be a name, 'Name=Alias|Alias' or a dict; found {item!r}.")
    return parsed


def target_strings(targets: Iterable[Target]) -> list[str]:
    """Targets as "Name=Alias|Alias" strings: the form a pipeline config stores."""
    return [target.name + ("=" + "|".join(target.aliases) if target.aliases else "") for target in targets]


class ActorResolver:
    """Groups entity mentions into actors and separates the targets from the actors."""

    def __init__(self, nlp: Language, kb: KnowledgeBase, targets: Sequence[Target] = ()):
        install_extensions()
        self.make_doc = nlp.make_doc
        self.kb = kb
        self.targets = targets

    @property
    def targets(self) -> list[Target]:
        """The targets every document is scored against; empty: the KB platforms it mentions."""
        return self._targets

    @targets.setter
    def targets(self, targets: Iterable[str | dict | Target] | None) -> None:
        self._targets = parse_targets(targets)

    def __call__(self, doc: Doc) -> Doc:
        groups = self._complete_names(doc, self._group(self._mentions(doc)))
        self._add_unlabelled_mentions(doc, groups)
        targets = self._targets_for(doc, groups)
        target_names = {t.name: t for t in targets}
        actor_spans, target_spans, actors = [], [], []
        for name, group in sorted(groups.items(), key=lambda item: item[1]["spans"][0].start):
            owner = self._target_owning(name, group, target_names)
            if owner is not None:
                target_spans += [self._labelled(span, "TARGET", owner) for span in group["spans"]]
                continue
            actor = self._actor(name, group)
            actor.affiliated_with = self._affiliations(name, group, target_names, doc)
            actor.affiliated = bool(actor.affiliated_with)
            actors.append(actor)
            actor_spans += [self._labelled(span, actor.type, name) for span in group["spans"]]
        doc.spans["actors"] = sorted(actor_spans, key=lambda s: s.start)
        doc.spans["targets"] = sorted(target_spans, key=lambda s: s.start)
        named = {span.id_ for span in target_spans}
        for target in targets:
            # a literal form counts, in any case, even where the NER missed it ("Trump" for Donald Trump)
            forms = [f.lower() for f in (target.name, *target.aliases, *short_forms(target.name))]
            target.mentioned = target.name in named or bool(find_mentions(doc.text.lower(), forms))
        doc._.actors = actors
        doc._.targets = targets
        return doc

    # mentions ------------------------------------------------------------------------------
    def _mentions(self, doc: Doc) -> list[Span]:
        """NER and KB-ruler entities, plus organisation names the NER missed, without overlaps."""
        parts = [
            piece for ent in doc.ents for part in split_at_possessive(ent)
            for piece in (split_coordinated(part, doc.text) if not part.ent_id_ else [part])
        ]
        spans = [span for part in parts if (span := self._clean(part)) is not None]
        # a name used once as a product's ("its AI Overviews feature") is a product everywhere
        products = {s.text for s in spans if not s.id_ and is_product_mention(s)}
        spans = [s for s in spans if s.text not in products]
        persons = [s for s in spans if s.label_ == "PERSON"]
        for candidate in self._org_name_candidates(doc, persons):
            overlapping = [s for s in spans if s.start < candidate.end and candidate.start < s.end]
            if candidate.label_ == "PERSON" and overlapping:
                continue
            if all(s.label_ == "ORG" and len(s) < len(candidate) and (not s.id_ or self._partial_link(s, candidate))
                   for s in overlapping):
                candidate.id_ = self.kb.resolve(candidate.text) or ""
                spans = [s for s in spans if s not in overlapping] + [candidate]
        for known in self._known_actor_mentions(doc):
            spans = [s for s in spans if not (s.start < known.end and known.start < s.end)] + [known]
        return sorted(spans, key=lambda s: s.start)

    def _partial_link(self, linked: Span, name: Span) -> bool:
        """A KB alias inside a longer name that is no alias ("Chamber of Commerce" in "London Chamber
        of Commerce and Industry") is part of another name, not a mention of that KB entry."""
        inside = name.start <= linked.start and linked.end <= name.end
        return inside and self.kb.resolve(name.text) != linked.id_ and linked.text[0].isupper() and (
            name.start < linked.start and name.doc[name.start].text not in {"The", "the"}
            or any(t.lower_ in ORG_HEADS for t in name.doc[linked.end:name.end])
        )

    def _requested_actors(self, doc: Doc) -> list[tuple[Target, str]]:
        """Actors the caller names with the document (``doc._.actor_request``, as `stance.classify`
        does), each with its type (ORG unless given): every literal mention becomes an actor mention
        even where the NER misses it ("Moody's", "The Sunday Times")."""
        requested = []
        for item in doc._.actor_request or ():
            [actor] = parse_targets([item])
            requested.append((actor, (item.get("type") if isinstance(item, dict) else None) or "ORG"))
        return requested

    def _known_actor_mentions(self, doc: Doc) -> Iterator[Span]:
        for actor, label in self._requested_actors(doc):
            forms = [actor.name, *actor.aliases]
            words = actor.name.split()
            if label == "PERSON" and len(words) > 1 and not find_mentions(doc.text, forms):
                # a person the article calls only by last name; the small NER often mislabels a
                # lone surname ("Pelosi" as GPE), so the name the caller gave decides
                forms.append(words[-1])
            for start, end in find_mentions(doc.text, forms):
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None and "\n" not in span.text:
                    known = Span(doc, span.start, span.end, label=label)
                    known.id_ = actor.name
                    yield known

    def _org_name_candidates(self, doc: Doc, persons: list[Span]) -> Iterator[Span]:
        """Capitalised names ending in or built on an organisation word ("Riders' Collective",
        "High Court of Tressa") that the small NER model often misses."""
        for start, end in capitalised_runs(doc):
            for person in persons:
                if person.start < end and start < person.end:
                    start = max(start, person.end)
            while start < end and (doc[start].lower_ in STOP_WORDS or not doc[start].is_alpha):
                start += 1
            while end > start and (
                doc[end - 1].lower_ in STOP_WORDS or doc[end - 1].lower_ in WEEKDAYS_MONTHS or not doc[end - 1].is_alpha
            ):
                end -= 1
            words = doc[start:end]
            if len(words) >= 2 and any(t.lower_ in ORG_HEADS and t.is_title for t in words):
                yield Span(doc, start, end, label="ORG")
        for start, end in capitalised_runs(doc):
            if looks_like_person(doc, start, end):
                yield Span(doc, start, end, label="PERSON")
        for token in doc:  # "ByteWire", "VeritaScore": inner capitals mark a brand name
            if CAMEL_CASE.match(token.text):
                yield Span(doc, token.i, token.i + 1, label="ORG")

    def _clean(self, ent: Span) -> Span | None:
        """Trim determiners, titles, possessives, numbers and dangling words; drop non-actors."""
        if ent.label_ not in ACTOR_LABELS and not ent.ent_id_:
            return None
        doc = ent.doc
        start = ent.start
        end = next((t.i for t in ent if t.text == "(" and t.i > ent.start), ent.end)
        while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].lower_ in LEADING_STOP):
            start += 1
        prefixes = TITLES | ROLE_WORDS | (PERSON_PREFIXES if ent.label_ == "PERSON" else set())
        while end - start > 1 and doc[start].lower_.rstrip(".") in prefixes:
            start += 1
        if ent.label_ == "PERSON" and start == ent.start and start > 0 and is_given_name(doc[start - 1]):
            start -= 1  # the small NER model often drops a rare first name: "Paloma Reyes-Whitfield"
        while end > start and (
            doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].like_num
            or doc[end - 1].lower_ in TRAILING_STOP
        ):
            end -= 1
        if end <= start:
            return None
        if end - start == 1 and end < len(doc) and doc[end].lower_ in PLACE_OFFICES and doc[end].is_title:
            return None  # "London Mayor Sadiq Khan": a place in an office's title
        if not ent.ent_id_ and (doc[end - 1].lower_ in NON_ACTOR_HEADS and doc[end - 1].is_title
                                or doc[start:end].text in NOT_NAMES):
            return None  # "Radio Control Law", "Space Shuttle", "UTC": not organisations or people
        span = Span(doc, start, end, label=ent.label_)
        span.id_ = ent.ent_id_ or self.kb.resolve(span.text) or ""
        if not span.id_ and not self._looks_like_name(span):
            return None
        return span

    @staticmethod
    def _looks_like_name(span: Span) -> bool:
        """A name has a capitalised word, and is not one generic word ("Customs", "Council")."""
        if not any(t.is_alpha and t.text[0].isupper() for t in span):
            return False
        return not (len(span) == 1 and span[0].lower_ in GENERIC_WORDS)

    def _group(self, mentions: list[Span]) -> dict[str, dict]:
        """Longest names first, so that short forms (last names, acronyms) find their owner."""
        groups: dict[str, dict] = defaultdict(lambda: {"spans": [], "labels": Counter()})
        for span in sorted(mentions, key=lambda s: (-len(s.text), s.start)):
            key = span.id_ or self._short_form_owner(span.text, groups) or self._strip_suffix(span.text)
            self._add(groups, key, span)
        for group in groups.values():
            group["spans"].sort(key=lambda s: s.start)
        return dict(groups)

    def _complete_names(self, doc: Doc, groups: dict[str, dict]) -> dict[str, dict]:
        """A person seen only by last name ("Carvalho-Bauer") whose full name occurs in the text
        unrecognised ("Ines Carvalho-Bauer") is renamed to it, and that mention added."""
        for name in [n for n, g in groups.items() if " " not in n and not self.kb.get(n)]:
            group = groups[name]
            if majority_label(name, group["labels"]) != "PERSON":
                continue
            for token in doc[:-1]:
                after = doc[token.i + 1]
                if after.text == name and is_given_name(token) and not any(
                    s.start <= token.i < s.end for g in groups.values() for s in g["spans"]
                ):
                    full = f"{token.text} {name}"
                    span = Span(doc, token.i, token.i + 2, label="PERSON")
                    group["spans"] = [s for s in group["spans"] if s.start != token.i + 1] + [span]
                    group["spans"].sort(key=lambda s: s.start)
                    for member in group["spans"]:
                        member.id_ = full
                    groups[full] = groups.pop(name)
                    break
        return groups

    @staticmethod
    def _add(groups: dict[str, dict], key: str, span: Span) -> None:
        span.id_ = key
        groups[key]["spans"].append(span)
        groups[key]["labels"][span.label_] += 1

    @staticmethod
    def _strip_suffix(text: str) -> str:
        return re.sub(r"(,?\s+(Inc|Ltd|LLC|Co|Corp|plc|S\.A|AG|GmbH)\.?)+$", "", text).strip()

    def _short_form_owner(self, text: str, groups: dict[str, dict]) -> str | None:
        """The one longer actor that ``text`` abbreviates: its last words ("Sporn", "Ribera Soto"),
        its first word ("Dorsaint" for "Maison Dorsaint" is the last; "Chen" for "Chen Wei-Lin"),
        its acronym ("FIS"), its name without "The", or a shorter form of a person's name ("Greg Craig"
        for "Gregory B. Craig"). NER labels are too noisy to restrict this."""
        owners = set()
        bare = text.removeprefix("The ")
        generic = text.lower() in GENERIC_WORDS
        for name in groups:
            words = name.split()
            if name.removeprefix("The ") == bare:
                owners.add(name)
            elif len(words) >= 2 and not generic and (
                name.endswith(" " + text) or (len(text.split()) == 1 and text == words[0])
            ):
                owners.add(name)
            elif len(words) >= 2 and ACRONYM.match(text) and text == initials(name):
                owners.add(name)
            elif shorter_form_of(text, name):
                owners.add(name)
        return owners.pop() if len(owners) == 1 else None

    def _add_unlabelled_mentions(self, doc: Doc, groups: dict[str, dict]) -> None:
        """Find later mentions NER missed: full names, last names and acronyms of known actors."""
        matcher = PhraseMatcher(doc.vocab)
        forms: dict[str, str] = {}
        for name, group in groups.items():
            surfaces = {s.text for s in group["spans"]}
            words = name.split()
            label = group["labels"].most_common(1)[0][0]
            if label == "PERSON" and len(words) > 1 and words[-1][0].isupper():
                surfaces.add(words[-1])
            for surface in surfaces:
                forms.setdefault(surface, name)
        for surface, name in forms.items():
            matcher.add(name, [self.make_doc(surface)])
        taken = {i for group in groups.values() for span in group["spans"] for i in range(span.start, span.end)}
        for match_id, start, end in matcher(doc):
            if any(i in taken for i in range(start, end)) or any("\n" in t.text for t in doc[start:end]):
                continue
            name = doc.vocab.strings[match_id]
            label = groups[name]["labels"].most_common(1)[0][0]
            span = Span(doc, start, end, label=label)
            span.id_ = name
            groups[name]["spans"].append(span)
            taken.update(range(start, end))
        for group in groups.values():
            group["spans"].sort(key=lambda s: s.start)

    # targets -------------------------------------------------------------------------------
    def _targets_for(self, doc: Doc, groups: dict[str, dict]) -> list[Target]:
        requested = [*self.targets, *parse_targets(doc._.target_request)]
        if requested:
            unique: dict[str, Target] = {}
            for target in map(self._expand_target, requested):
                unique.setdefault(target.name, target)
            return list(unique.values())
        return [self._expand_target(Target(n)) for n in self._salient_platforms(doc, groups)]

    def _salient_platforms(self, doc: Doc, groups: dict[str, dict]) -> list[str]:
        """Default targets: the KB platforms the text names, a platform named after its owner as that
        owner ("Apple", not "Apple App Store", when the text names Apple), ranked by salience (mentions,
        and the headline and lead count triple); a platform named far less than the leading one (a
        complainant, a comparison) stays an actor."""
        named = set(groups)
        platforms = [n for n in groups if (e := self.kb.get(n)) and e.kind == "platform"]
        candidates = []
        for platform in platforms:
            # a platform named after its owner is the owner's product page ("Apple App Store")
            owners = [a for a in self.kb.ancestors(platform) if a in named and platform.startswith(a + " ")]
            top = owners[-1] if owners else platform
            if top not in candidates and not (set(self.kb.ancestors(top)) & set(platforms)):
                candidates.append(top)
        lead_end = _lead_end(doc)

        def salience(target: str) -> int:
            members = [n for n in groups if n == target or target in self.kb.ancestors(n)]
            spans = [s for n in members for s in groups[n]["spans"]]
            return len(spans) + 2 * sum(s.start_char < lead_end for s in spans)

        scores = {c: salience(c) for c in candidates}
        best = max(scores.values(), default=0)
        return [c for c in candidates if scores[c] * 2 >= best]

    def _expand_target(self, target: Target) -> Target:
        name = self.kb.resolve(target.name) or target.name
        aliases = list(target.aliases)
        entry = self.kb.get(name)
        if entry:
            aliases += list(entry.aliases)
            for child in self.kb.descendants(name):
                child_entry = self.kb.entries[child]
                if child_entry.type == "ORG" and child_entry.kind in FOLDED_KINDS:
                    aliases += list(child_entry.names)
        if target.name != name:
            aliases.append(target.name)
        return Target(name, list(dict.fromkeys(a for a in aliases if a != name)))

    def _target_owning(self, name: str, group: dict, targets: dict[str, Target]) -> str | None:
        """The target this actor IS (by name, alias, or as an ORG subsidiary), else None."""
        surfaces = {name} | {s.text for s in group["spans"]}
        for target in targets.values():
            if surfaces & ({target.name, *short_forms(target.name)} | set(target.aliases)):
                entry = self.kb.get(name)
                if entry is None or entry.type == "ORG":
                    return target.name
        entry = self.kb.get(name)
        if entry and entry.type == "ORG" and entry.kind in FOLDED_KINDS:
            for ancestor in self.kb.ancestors(name):
                if ancestor in targets:
                    return ancestor
        return None

    # actors --------------------------------------------------------------------------------
    def _actor(self, name: str, group: dict) -> Actor:
        entry = self.kb.get(name)
        label = entry.type if entry else self._checked_type(name, group)
        mentions = list(dict.fromkeys(span.text for span in group["spans"]))
        return Actor(
            name=name,
            type=label,
            kind=entry.kind if entry else None,
            parent=entry.parent if entry else None,
            mentions=mentions,
        )

    @staticmethod
    def _checked_type(name: str, group: dict) -> str:
        """The NER's majority label, corrected by the words around the mentions: "Morgan Reed,
        president of ACT" is a person, "Morningstar analysts" an organisation."""
        label = majority_label(name, group["labels"])
        for span in group["spans"]:
            doc = span.doc
            after = [t for t in doc[span.end:span.end + 4]]
            before = doc[span.start - 1] if span.start > 0 else None
            if label == "ORG" and len(span) in (2, 3) and is_given_name(span[0]) and not any(
                t.lower_ in ORG_HEADS for t in span
            ) and (
                (before is not None and before.lower_.rstrip(".") in TITLES | ROLE_WORDS)
                or (len(after) > 1 and after[0].text == "," and after[1].lower_ in ROLE_WORDS | TITLES)
            ):
                return "PERSON"
            if label == "PERSON" and len(span) == 1 and after and after[0].lower_ in ORG_FOLLOWERS:
                return "ORG"
        return label

    def _affiliations(self, name: str, group: dict, targets: dict[str, Target], doc: Doc) -> list[str]:
        """The targets whose staff, owners or units this actor is: by KB parent chain, or
        "Veltra spokeswoman Ana Ruiz"."""
        # its units and staff (the target is an ancestor), and its owners (the actor is an ancestor)
        found = [t for t in targets if t in set(self.kb.ancestors(name)) or name in set(self.kb.ancestors(t))]
        if majority_label(name, group["labels"]) != "PERSON":
            return found
        for target in targets.values():
            forms = (target.name, *target.aliases)
            for span in group["spans"]:
                sent = span.sent
                before = doc[max(sent.start, span.start - 4) : span.start]
                after = doc[span.end : min(sent.end, span.end + 7)]
                if any({t.lower_ for t in w} & ROLE_WORDS and any(f in w.text for f in forms) for w in (before, after)):
                    found.append(target.name)
                    break
        return list(dict.fromkeys(found))

    @staticmethod
    def _labelled(span: Span, label: str, name: str) -> Span:
        labelled = Span(span.doc, span.start, span.end, label=label)
        labelled.id_ = name
        return labelled


def _lead_end(doc: Doc) -> int:
    """Where the headline and lead end: the first sentence, stretched to the paragraph break after it
    when the opening holds one (a headline line followed by its lead paragraph)."""
    end = next(iter(doc.sents)).end_char if len(doc) else 0
    if "\n\n" in doc.text[: end + 400]:
        end = max(end, doc.text.find("\n\n", end))
    return end


@Language.factory(
    "stance_actors",
    assigns=["doc.spans", "doc._.actors", "doc._.targets"],
    requires=["doc.ents"],
    default_config={"kb_paths": [], "targets": [], "builtin_kb": True},
)
def make_actor_resolver(
    nlp: Language, name: str, kb_paths: list[str], targets: list[str], builtin_kb: bool
) -> ActorResolver:
    return ActorResolver(nlp, KnowledgeBase.load(kb_paths, builtin=builtin_kb), targets)

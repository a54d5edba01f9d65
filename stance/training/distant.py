"""Stance records from NewsMTSC by distant supervision: who said it, about whom, how.

NewsMTSC (Hamborg & Donnay, EACL 2021, MIT) gives the sentiment of a real news sentence toward a
person named in it, but not whose view it is. When that person is the object of a reporting or
evaluative verb whose subject is another named actor — "Schumer criticized Trump", "Pelosi said the
President went beyond his own low standards" — the sentence's sentiment toward the person is, most
of the time, the subject's stance toward them: positive → support, negative → oppose, neutral →
neutral. Everything else (no such verb, a pronoun or unnamed subject, the person being the subject)
is skipped: a smaller set of labels that are mostly right is worth more than a large noisy one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from tqdm import tqdm

from ..api import BASE_PIPELINE
from .sentiment import read_newsmtsc

STANCE_OF_SENTIMENT = {"positive": "support", "negative": "oppose", "neutral": "neutral"}
NAMED = ("PERSON", "ORG", "NORP")
# Verbs whose subject voices a view of what follows: reporting speech, judging, acting for or against.
SPEAKING_VERBS = frozenset("""
    say tell write tweet add note claim argue insist suggest acknowledge admit deny respond reply ask
    announce call describe accuse blame criticize criticise praise endorse attack back support slam
    blast defend hail urge warn charge condemn applaud thank congratulate oppose reject dismiss mock
    deride denounce question challenge sue threaten vow promise pledge welcome credit laud commend
    compliment fault berate rebuke lash target knock ridicule demand
""".split())


def load_parser() -> Language:
    """spaCy's small English pipeline with its dependency parser (the stance pipeline leaves it out)."""
    import spacy

    return spacy.load(BASE_PIPELINE)


def speaker_stances(
    paths: Iterable[str | Path], nlp: Language | None = None, skipped: Counter | None = None, progress: bool = False,
) -> list[dict]:
    """Stance records (the corpus format) mined from NewsMTSC files; ``skipped`` counts why the
    other (sentence, person) pairs were left out. Parsing the released files takes 1–2 minutes
    on 2 cores (``progress`` shows a bar).

    Example:
        >>> import json, os, tempfile
        >>> sentence = "Senator Jane Walsh criticized Tom Brody on Tuesday."
        >>> line = {"sentence_normalized": sentence, "targets": [
        ...     {"from": 30, "to": 39, "mention": "Tom Brody", "polarity": 2.0}]}
        >>> path = os.path.join(tempfile.mkdtemp(), "mtsc.jsonl")
        >>> _ = open(path, "w").write(json.dumps(line) + "\\n")
        >>> [(r["actor"], r["stance"], r["target"]) for r in speaker_stances([path])]
        [('Jane Walsh', 'oppose', 'Tom Brody')]
    """
    nlp = nlp or load_parser()
    skipped = skipped if skipped is not None else Counter()
    examples = [(str(path), example) for path in paths for example in read_newsmtsc(path)]
    texts = list(dict.fromkeys(example["text"] for _, example in examples))
    parsed = tqdm(nlp.pipe(texts, batch_size=64), total=len(texts), unit="sentence", desc="parse", disable=not progress)
    docs = dict(zip(texts, parsed, strict=True))
    records = []
    for number, (path, example) in enumerate(examples):
        doc = docs[example["text"]]
        target = doc.char_span(*example["span"])
        speaker, reason = _speaker(doc, target)
        if speaker is None:
            skipped[reason] += 1
            continue
        records.append({
            "id": f"newsmtsc-{number}", "text": example["text"], "actor": speaker.text,
            "target": target.text, "stance": STANCE_OF_SENTIMENT[example["sentiment"]],
            "actor_type": "PERSON" if speaker.label_ == "PERSON" else "ORG",
            "actor_aliases": [], "target_aliases": [],
            "meta": {"group": f"newsmtsc-{number}", "fictional": False, "shape": "sentence", "phenomena": [],
                     "affiliated": False, "domain": "politics", "source": f"NewsMTSC {Path(path).name}"},
        })
    return records


def _speaker(doc: Doc, target: Span | None) -> tuple[Span | None, str]:
    """The named subject of the nearest speaking verb above ``target``, or None and why not."""
    if target is None or target.root.pos_ != "PROPN" or not _named(doc, target):
        return None, "the person is not a named entity"
    for verb in [target.root.head, *target.root.head.ancestors]:
        if verb.pos_ != "VERB" or verb.lemma_ not in SPEAKING_VERBS:
            continue
        subject = next((child for child in verb.children if child.dep_ == "nsubj"), None)
        if subject is None or target.start <= subject.i < target.end:
            continue  # no subject, or the person is the one speaking: look further up
        speaker = _named(doc, doc[subject.i : subject.i + 1])
        if speaker is None or not speaker.text[0].isalnum():
            return None, "the speaker is not a named entity"
        overlapping = speaker.start < target.end and target.start < speaker.end
        if overlapping or speaker.text.lower() in target.text.lower() or target.text.lower() in speaker.text.lower():
            return None, "the speaker is the person"
        return speaker, ""
    return None, "no speaking verb with a subject above the person"


def _named(doc: Doc, span: Span) -> Span | None:
    """The named entity (person, organisation, group) overlapping ``span``, if any."""
    return next((e for e in doc.ents if e.label_ in NAMED and e.start < span.end and span.start < e.end), None)

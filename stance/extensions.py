"""Custom attributes on spaCy objects, installed once and never forced."""

from __future__ import annotations

from spacy.tokens import Doc, Span

# target_request / actor_request: targets and actors asked for this document only (set before the
# pipeline runs: an input row's target field, the pair `stance.classify` asks about), read by the actor
# resolver beside its own, so one loaded pipeline serves any target without being changed
DOC_EXTENSIONS = ("actors", "targets", "stances", "target_request", "actor_request")


def install_extensions() -> None:
    """Register `doc._.actors`, `doc._.targets`, `doc._.stances`, `doc._.target_request`,
    `doc._.actor_request` and `span._.actor` (idempotent)."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Span.has_extension("actor"):
        Span.set_extension("actor", default=None)

"""Custom attributes on spaCy objects, installed once and never forced."""

from __future__ import annotations

from spacy.tokens import Doc, Span

# target_request: targets asked for this document only (set before the pipeline runs, e.g. from an
# input row's target field), read by the actor resolver beside the pipeline's own targets
DOC_EXTENSIONS = ("actors", "targets", "stances", "target_request")


def install_extensions() -> None:
    """Register `doc._.actors`, `doc._.targets`, `doc._.stances`, `doc._.target_request` and
    `span._.actor` (idempotent)."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Span.has_extension("actor"):
        Span.set_extension("actor", default=None)

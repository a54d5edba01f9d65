"""Custom attributes on spaCy objects, installed once and never forced."""

from __future__ import annotations

from spacy.tokens import Doc, Span

DOC_EXTENSIONS = ("actors", "targets", "stances")


def install_extensions() -> None:
    """Register `doc._.actors`, `doc._.targets`, `doc._.stances` and `span._.actor` (idempotent)."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Span.has_extension("actor"):
        Span.set_extension("actor", default=None)

"""A component that keeps entities inside lines.

The stock NER happily builds entities across a title break ("Ma Yun\\n\\nAlibaba"); a line break is
never part of a name, so newline tokens are blocked for NER and start a new sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class LineBreakGuard:
    """Blocks newline tokens for NER and starts a sentence after each of them."""

    def __call__(self, doc: Doc) -> Doc:
        breaks = [doc[i : i + 1] for i, token in enumerate(doc) if "\n" in token.text]
        if not breaks:
            return doc
        doc.set_ents(list(doc.ents), blocked=breaks)
        for span in breaks:
            if span.end < len(doc):
                doc[span.end].is_sent_start = True
        return doc


@Language.factory("stance_line_breaks", assigns=["token.is_sent_start", "token.ent_iob"])
def make_line_break_guard(nlp: Language, name: str) -> LineBreakGuard:
    return LineBreakGuard()

"""Text clean-up before spaCy, and a component that keeps entities inside lines.

The stock NER happily builds entities across a title break ("Ma Yun\\n\\nAlibaba"); a line break is
never part of a name, so newline tokens are blocked for NER and start a new sentence.
"""

from __future__ import annotations

import re
import unicodedata

from spacy.language import Language
from spacy.tokens import Doc

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Normalise line ends and whitespace, and drop a title line repeated right below itself.

    Example:
        >>> normalize_text("Title\\n\\nTitle\\n\\n\\n\\nBody  text ")
        'Title\\n\\nBody text'
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 1 and paragraphs[0] == paragraphs[1]:
        paragraphs.pop(1)
    return "\n\n".join(paragraphs)


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

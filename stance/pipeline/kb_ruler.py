"""The KB ruler: an entity ruler holding every knowledge-base name and alias, placed before the NER,
so that known actors get the KB's label and canonical name (``ent.ent_id_``)."""

from __future__ import annotations

from spacy.language import Language
from spacy.pipeline import EntityRuler

from ..kb import KnowledgeBase

RULER_NAME = "stance_ruler"


@Language.factory(
    "stance_kb_ruler",
    assigns=["doc.ents"],
    default_config={"kb_paths": [], "builtin_kb": True},
)
def make_kb_ruler(nlp: Language, name: str, kb_paths: list[str], builtin_kb: bool) -> EntityRuler:
    """Names that are also ordinary words (``ambiguous`` in the KB) are left to the statistical NER."""
    ruler = EntityRuler(nlp, name, overwrite_ents=True, validate=False)
    kb = KnowledgeBase.load(kb_paths, builtin=builtin_kb)
    patterns = [
        {"label": entry.type, "pattern": surface, "id": entry.name}
        for entry in kb.entries.values()
        if not entry.ambiguous
        for surface in entry.names
    ]
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)
    return ruler

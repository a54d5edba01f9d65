"""spaCy components of the stance pipeline (registered on import): the line-break guard, the KB ruler,
the actor resolver and the stance classifier."""

from . import actors, classifier, kb_ruler, line_breaks  # noqa: F401

"""spaCy components of the stance pipeline (registered on import)."""

from . import actors, classifier, line_breaks  # noqa: F401

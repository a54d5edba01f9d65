"""spaCy components of the stance pipeline (registered on import)."""

from . import actors, classifier, normalizer  # noqa: F401

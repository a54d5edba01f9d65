"""stance: who supports or opposes a platform in the news.

Example:
    >>> import stance
    >>> nlp = stance.load()                                   # doctest: +SKIP
    >>> doc = nlp("Gucci sued Alibaba over counterfeits.")     # doctest: +SKIP
    >>> [(s.actor, s.target, s.label) for s in doc._.stances]  # doctest: +SKIP
    [('Gucci', 'Alibaba', 'oppose')]
"""

from __future__ import annotations

__version__ = "0.2.0"

from .api import classify, load, tag  # noqa: E402
from .extensions import install_extensions  # noqa: E402
from .frames import to_dataframe  # noqa: E402
from .types import Actor, ActorStance, Evidence, Target  # noqa: E402

__all__ = [
    "Actor",
    "ActorStance",
    "Evidence",
    "Target",
    "__version__",
    "classify",
    "install_extensions",
    "load",
    "tag",
    "to_dataframe",
]

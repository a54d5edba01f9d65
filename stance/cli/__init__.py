"""The command line: a thin typer app over the package's functions, one file per command group.

Exit codes: 0 success; 1 some documents failed (annotate) or a check failed (corpus validate);
2 bad usage or input (a clear message says what to fix).
"""

from . import corpus, documents, models  # noqa: F401  (importing a command file registers its commands)
from .app import app

__all__ = ["app"]

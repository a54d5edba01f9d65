"""The import graph points one way: text → model → pipeline → the rest → cli (docs/how-it-works.md)."""

import ast
from pathlib import Path

import stance

PACKAGE = Path(stance.__file__).parent
# a module may import its own layer and the layers below it, never one above
LAYERS = [
    {"types", "errors", "extensions", "text", "data"},
    {"model", "kb", "calibration"},
    {"pipeline"},
    {"api", "records", "io", "articles", "corpus", "annotation", "evaluate", "scoring", "results", "writers", "report",
     "report_html", "frames", "review", "labelstudio_import", "newsmtsc_labels", "annotate", "annotator", "distributed",
     "training"},
    {"cli", "__main__"},
]


def layer_of(module: str) -> int:
    top = module.split(".")[1] if "." in module else ""
    return next(rank for rank, names in enumerate(LAYERS) if top in names)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every stance module ``path`` imports, at module top or inside a function."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base == "stance":  # `from . import x`: x is the module
                found |= {f"stance.{alias.name}" for alias in node.names if alias.name != "__version__"}
            elif base.startswith("stance."):
                found.add(base)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("stance.")}
    return found


def test_no_module_imports_a_layer_above_its_own():
    back_arrows = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        if name == "stance":  # the package's front door re-exports the public API
            continue
        for target in imported(path):
            if layer_of(target) > layer_of(name):
                back_arrows.append(f"{name} -> {target}")
    assert back_arrows == []


def test_every_module_has_a_layer():
    for path in PACKAGE.rglob("*.py"):
        if module_name(path) != "stance":
            layer_of(module_name(path))  # StopIteration names a module missing from LAYERS


def test_the_checker_sees_imports_inside_functions_and_relative_ones():
    assert "stance.model.network" in imported(PACKAGE / "pipeline" / "classifier.py")
    assert "stance.api" in imported(PACKAGE / "cli" / "documents.py")  # imported inside the command
    assert layer_of("stance.cli.documents") > layer_of("stance.api") > layer_of("stance.pipeline.actors")

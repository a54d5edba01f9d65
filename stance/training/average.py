"""Weight averaging of fine-tuned stance models (a "model soup", Wortsman et al. 2022).

Models fine-tuned from the same base encoder with different seeds usually stay close enough in
weight space for their average to work as one model: it costs nothing at inference (one network,
same speed) and evens out part of the seed noise. Only models that are interchangeable can be
averaged: same labels, template, lengths, tokenizer and tensor shapes.

    stance average runs/seed13 runs/seed7 runs/seed21 --output-dir runs/soup
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from .. import errors
from ..model.network import CONFIG_NAME, HEAD_NAME, ModelSettings

WEIGHT_FILES = ("encoder/model.safetensors", HEAD_NAME)
# settings that must agree; name and version are labels, not behaviour
SHARED_SETTINGS = ("labels", "template", "max_length", "window_tokens", "sentences_per_actor")
SOURCES_NAME = "averaged_from.json"


def average_models(folders: Sequence[str | Path], output_dir: str | Path, force: bool = False) -> Path:
    """Write the uniform average of the model ``folders`` to ``output_dir`` and return it.

    The tokenizer, configs and encoder config are copied from the first folder; each weight is
    averaged in float32 and stored in the first model's dtype (float16 on disk for the shipped
    model). ``averaged_from.json`` records the sources. A non-empty ``output_dir`` is replaced only
    with ``force``.
    """
    folders = [Path(f) for f in folders]
    output_dir = Path(output_dir)
    _check_compatible(folders, output_dir)
    if output_dir.exists() and any(output_dir.iterdir()) and not force:
        raise errors.ModelError(f"{output_dir} exists and is not empty; pass force=True (`--force`) to replace it.")
    averaged = {name: _mean([load_file(str(f / name)) for f in folders], folders, name) for name in WEIGHT_FILES}
    if output_dir.exists():
        shutil.rmtree(output_dir)
    shutil.copytree(folders[0], output_dir, ignore=shutil.ignore_patterns("*.safetensors", SOURCES_NAME))
    for name, tensors in averaged.items():
        save_file(tensors, str(output_dir / name), metadata={"format": "pt"})
    sources = {"averaged_from": [str(f.resolve()) for f in folders], "method": "uniform"}
    (output_dir / SOURCES_NAME).write_text(json.dumps(sources, indent=2) + "\n", encoding="utf-8")
    return output_dir


def _check_compatible(folders: list[Path], output_dir: Path) -> None:
    if len(folders) < 2:
        raise errors.ModelError(f"averaging needs at least two model folders, got {len(folders)}.")
    if output_dir.resolve() in {f.resolve() for f in folders}:
        raise errors.ModelError(f"The output folder {output_dir} is one of the inputs; write the average elsewhere.")
    for folder in folders:
        if not (folder / CONFIG_NAME).is_file() or not all((folder / n).is_file() for n in WEIGHT_FILES):
            raise errors.missing_model(folder)
    first = ModelSettings.read(folders[0])
    first_vocab = _tokenizer_text(folders[0])
    for folder in folders[1:]:
        other = ModelSettings.read(folder)
        for key in SHARED_SETTINGS:
            if getattr(other, key) != getattr(first, key):
                raise errors.ModelError(
                    f"{folder} has {key}={getattr(other, key)!r} but {folders[0]} has "
                    f"{getattr(first, key)!r}; only models trained with the same settings can be averaged."
                )
        if _tokenizer_text(folder) != first_vocab:
            raise errors.ModelError(
                f"{folder} has another tokenizer than {folders[0]}; only models fine-tuned from the "
                "same base encoder with the same template can be averaged."
            )


def _tokenizer_text(folder: Path) -> str:
    path = folder / "tokenizer.json"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _mean(state_dicts: list[dict[str, torch.Tensor]], folders: list[Path], name: str) -> dict[str, torch.Tensor]:
    first = state_dicts[0]
    expected = {k: tuple(v.shape) for k, v in first.items()}
    for folder, other in zip(folders[1:], state_dicts[1:], strict=True):
        shapes = {k: tuple(v.shape) for k, v in other.items()}
        if shapes != expected:
            differing = sorted(k for k in expected.keys() | shapes.keys() if expected.get(k) != shapes.get(k))
            raise errors.ModelError(
                f"{folder / name} does not match {folders[0] / name} (tensors {', '.join(differing[:3])}); "
                "only models of the same architecture can be averaged."
            )
    return {
        key: (sum(sd[key].float() for sd in state_dicts) / len(state_dicts)).to(tensor.dtype).contiguous()
        for key, tensor in first.items()
    }

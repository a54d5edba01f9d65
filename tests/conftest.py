"""Shared fixtures: a tiny randomly initialised BERT (fast unit tests) and the real pipelines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "luxury-brands-vs-alibaba.txt"


def build_tiny_encoder(folder: Path) -> Path:
    """A 2-layer, 32-wide BERT with the MiniLM tokenizer, saved as a local HF model folder."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    from stance.training.config import default_base_model

    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(default_base_model())
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=512,
    )
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory) -> Path:
    return build_tiny_encoder(tmp_path_factory.mktemp("tiny-encoder"))


@pytest.fixture(scope="session")
def tiny_model(tiny_encoder, tmp_path_factory) -> Path:
    """An untrained stance model folder built on the tiny encoder."""
    from stance.model.network import ModelSettings, new_network, new_tokenizer, save_model

    tokenizer = new_tokenizer(tiny_encoder)
    network = new_network(tiny_encoder, tokenizer, ["support", "oppose", "neutral"])
    return save_model(network, tokenizer, ModelSettings(name="tiny"), tmp_path_factory.mktemp("tiny-model"))


@pytest.fixture(scope="session")
def actor_nlp():
    import stance

    return stance.load(stances=False)


@pytest.fixture(scope="session")
def tiny_nlp(tiny_model):
    import stance

    return stance.load(tiny_model)


@pytest.fixture(scope="session")
def sample_text() -> str:
    from stance.text.normalize import normalize_text

    return normalize_text(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _restore_pipeline_targets(request):
    """Tests that set a session pipeline's targets must not leak them into the next test."""
    yield
    for name in ("actor_nlp", "tiny_nlp"):
        if name in request.fixturenames:
            request.getfixturevalue(name).get_pipe("stance_actors").targets = []

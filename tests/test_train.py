"""`stance train` end to end on the tiny encoder: the Trainer runs, checkpoints, and writes a model
folder that the pipeline loads."""

import json

from stance.model import load_model
from stance.train import TrainConfig, train


def test_train_writes_a_loadable_model(tiny_encoder, tmp_path):
    texts = {
        "oppose": "Kering sued Alibaba over fakes.",
        "support": "Kering praised Alibaba for its help.",
        "neutral": "Kering met Alibaba on Monday.",
    }
    records = [
        {"id": f"{label}-{i}", "text": text, "actor": "Kering", "target": "Alibaba", "stance": label}
        for i in range(2) for label, text in texts.items()
    ]
    data = tmp_path / "records.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records))
    cfg = TrainConfig(
        str(data), str(data), str(tmp_path / "model"), base_model=str(tiny_encoder), epochs=2, batch_size=4,
        checkpoint_dir=str(tmp_path / "checkpoints"), sentences_per_actor=2, name="tiny-trained",
    )
    folder = train(cfg)
    network, tokenizer, settings = load_model(folder)
    assert settings.name == "tiny-trained" and settings.sentences_per_actor == 2
    assert json.loads((folder / "train_config.json").read_text())["epochs"] == 2
    assert any((tmp_path / "checkpoints").glob("checkpoint-*"))

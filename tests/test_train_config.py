"""One training config: defaults live in TrainConfig, a JSON file and --set overrides change them, and
anything unknown or mistyped is refused with the keys that exist."""

import json

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.errors import ConfigError
from stance.training.config import TrainConfig, train_keys_help


@pytest.fixture
def records(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "Kering sued Alibaba.", "actor": "Kering", "target": "Alibaba",
                                "stance": "oppose"}) + "\n")
    return path


@pytest.fixture
def config_file(tmp_path, records):
    path = tmp_path / "train.json"
    path.write_text(json.dumps({"train_file": str(records), "dev_file": str(records), "output_dir": str(tmp_path / "m"),
                                "base_model": "x", "epochs": 2}))
    return path


def test_overrides_are_typed_and_win_over_the_file(config_file, records):
    cfg = TrainConfig.load(config_file, ["epochs=3", "learning_rate=1e-5", "class_weights=false",
                                         f"extra_train_files={records},{records}", 'trainer_args={"logging_steps": 5}'])
    assert (cfg.epochs, cfg.learning_rate, cfg.class_weights) == (3.0, 1e-5, False)
    assert cfg.extra_train_files == [str(records), str(records)]
    assert cfg.trainer_args == {"logging_steps": 5}
    assert cfg.seed == TrainConfig.__dataclass_fields__["seed"].default  # untouched keys keep the one default
    assert TrainConfig.load(config_file, ["name=2024", "checkpoint_dir=", f'article_files=["{records}"]']).name == "2024"


@pytest.mark.parametrize("override, message", [
    ("epoch=3", "Unknown training config keys in --set: epoch"),
    ("epochs=three", "epochs must be float, found 'three'"),
    ("class_weights=1", "class_weights must be bool"),
    ("epochs", "--set takes key=value"),
    ('trainer_args={"num_train_epochs": 3}', "trainer_args cannot set num_train_epochs"),
    ('trainer_args={"no_such_argument": 1}', "trainer_args cannot set no_such_argument"),
])
def test_bad_overrides_are_refused(config_file, override, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        TrainConfig.load(config_file, [override])


def test_unknown_keys_in_the_file_and_missing_required_keys_are_refused(tmp_path, config_file):
    data = json.loads(config_file.read_text())
    config_file.write_text(json.dumps({**data, "epoch": 3}))
    with pytest.raises(ConfigError, match="Unknown training config keys in .*train.json: epoch. The keys are: article_files"):
        TrainConfig.load(config_file)
    with pytest.raises(ConfigError, match="needs train_file, dev_file, output_dir"):
        TrainConfig.load(None, ["epochs=1"])
    (tmp_path / "list.json").write_text("[1]")
    with pytest.raises(ConfigError, match="not a JSON object"):
        TrainConfig.load(tmp_path / "list.json")


def test_trainer_args_reach_the_training_arguments(config_file, monkeypatch):
    import stance.training.trainer as trainer

    seen = {}

    class Stop(Exception):
        pass

    def capture(**kwargs):
        seen.update(kwargs)
        raise Stop

    cfg = TrainConfig.load(config_file, ['trainer_args={"logging_steps": 7, "weight_decay": 0.1}'])
    monkeypatch.setattr("transformers.TrainingArguments", capture)
    monkeypatch.setattr(trainer, "new_network", lambda *a, **k: None)
    monkeypatch.setattr(trainer, "new_tokenizer", lambda *a, **k: None)
    with pytest.raises(Stop):
        trainer.train(cfg)
    assert (seen["logging_steps"], seen["weight_decay"], seen["num_train_epochs"]) == (7, 0.1, 2.0)


def test_the_cli_shows_the_resolved_config_and_lists_every_key(config_file, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["train", "--config", str(config_file), "--set", "seed=7", "--output-dir",
                                 str(tmp_path / "out"), "--show-config"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert (shown["seed"], shown["output_dir"], shown["epochs"]) == (7, str(tmp_path / "out"), 2.0)
    for key in TrainConfig.__dataclass_fields__:
        assert f"\n\n{key} (" in train_keys_help()
    bad = runner.invoke(app, ["train", "--config", str(config_file), "--set", "batch_size=big"])
    assert bad.exit_code == 2 and "batch_size must be int" in bad.output
    assert runner.invoke(app, ["train"]).exit_code == 2

"""`stance average`: the weight average of interchangeable models, and clear refusals otherwise."""

import json
import shutil

import pytest
import torch
from safetensors.torch import load_file, save_file
from typer.testing import CliRunner

from stance.cli import app
from stance.errors import ModelError
from stance.model.network import HEAD_NAME, ModelSettings, new_network, new_tokenizer, save_model
from stance.training.average import average_models

ENCODER_WEIGHTS = "encoder/model.safetensors"


def _tiny_model(tiny_encoder, folder, seed, **settings):
    torch.manual_seed(seed)
    tokenizer = new_tokenizer(tiny_encoder)
    network = new_network(tiny_encoder, tokenizer, ["support", "oppose", "neutral"])
    with torch.no_grad():  # move the encoder too, as fine-tuning would
        for parameter in network.encoder.parameters():
            parameter.add_(torch.randn_like(parameter) * 0.01)
    return save_model(network, tokenizer, ModelSettings(name=f"seed-{seed}", **settings), folder)


@pytest.fixture(scope="module")
def two_models(tiny_encoder, tmp_path_factory):
    root = tmp_path_factory.mktemp("soup")
    return _tiny_model(tiny_encoder, root / "a", 1), _tiny_model(tiny_encoder, root / "b", 2)


def test_the_average_holds_the_mean_of_every_weight_and_tags_text(two_models, tmp_path, sample_text):
    import stance

    a, b = two_models
    soup = average_models([a, b], tmp_path / "soup")
    for name in (ENCODER_WEIGHTS, HEAD_NAME):
        left, right, mean = (load_file(str(folder / name)) for folder in (a, b, soup))
        assert mean.keys() == left.keys()
        for key, tensor in mean.items():
            assert tensor.dtype == left[key].dtype
            expected = (left[key].float() + right[key].float()) / 2
            torch.testing.assert_close(tensor.float(), expected.to(tensor.dtype).float())
        assert any(not torch.equal(left[k], mean[k]) for k in mean)  # the two inputs really differ
    assert json.loads((soup / "averaged_from.json").read_text())["averaged_from"] == [str(a.resolve()), str(b.resolve())]
    doc = stance.load(soup, targets=["Alibaba"])(sample_text)
    assert doc._.stances and all(s.label in ("support", "oppose", "neutral") for s in doc._.stances)


def test_the_cli_writes_the_average_replaces_it_only_with_force_and_explains_a_refusal(two_models, tmp_path):
    a, b = two_models
    runner = CliRunner()
    ok = runner.invoke(app, ["average", str(a), str(b), "--output-dir", str(tmp_path / "soup")])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "soup" / HEAD_NAME).is_file()
    again = runner.invoke(app, ["average", str(b), str(a), "--output-dir", str(tmp_path / "soup")])
    assert again.exit_code == 2 and "--force" in again.output
    forced = runner.invoke(app, ["average", str(b), str(a), "--output-dir", str(tmp_path / "soup"), "--force"])
    assert forced.exit_code == 0, forced.output
    assert json.loads((tmp_path / "soup" / "averaged_from.json").read_text())["averaged_from"][0] == str(b.resolve())
    alone = runner.invoke(app, ["average", str(a), "--output-dir", str(tmp_path / "one")])
    assert alone.exit_code == 2 and "at least two model folders" in alone.output
    assert not (tmp_path / "one").exists()


def test_models_with_other_settings_or_tokenizers_are_refused(two_models, tiny_encoder, tmp_path):
    a, b = two_models
    other = _tiny_model(tiny_encoder, tmp_path / "long", 3, window_tokens=64)
    with pytest.raises(ModelError, match="window_tokens=64"):
        average_models([a, other], tmp_path / "out")
    retokenized = tmp_path / "retokenized"
    average_models([a, b], retokenized)
    (retokenized / "tokenizer.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="another tokenizer"):
        average_models([a, retokenized], tmp_path / "out")
    with pytest.raises(ModelError, match="is one of the inputs"):
        average_models([a, b], a)
    with pytest.raises(ModelError, match="No stance model"):
        average_models([a, tmp_path / "missing"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_models_of_other_shapes_are_refused(two_models, tmp_path):
    a, _ = two_models
    wider = tmp_path / "wider"
    shutil.copytree(a, wider)
    head = load_file(str(wider / HEAD_NAME))
    head = {k: torch.zeros(v.shape[0] + 1, *v.shape[1:]) for k, v in head.items()}
    save_file(head, str(wider / HEAD_NAME))
    with pytest.raises(ModelError, match="same architecture"):
        average_models([a, wider], tmp_path / "out")

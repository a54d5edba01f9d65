"""Temperature scaling: never changes a label, fits over-confident scores, and ECE is measured."""

import numpy as np
import pytest
import torch

from stance.calibration import calibrated, calibration_report, expected_calibration_error, fit_temperature
from stance.model.network import ModelSettings, write_temperature


def test_temperature_keeps_the_label_and_softens_the_scores():
    probs = torch.tensor([[0.97, 0.02, 0.01], [0.2, 0.5, 0.3]])
    soft = calibrated(probs, 2.0)
    assert torch.equal(soft.argmax(-1), probs.argmax(-1))
    assert soft[0, 0] < probs[0, 0] and torch.allclose(soft.sum(-1), torch.ones(2))
    assert torch.equal(calibrated(probs, 1.0), probs)


def test_ece_is_zero_when_confidence_matches_accuracy_and_large_when_not():
    assert expected_calibration_error(np.array([0.5, 0.5]), np.array([1, 0])) == pytest.approx(0.0)
    assert expected_calibration_error(np.array([0.99] * 4), np.array([1, 0, 0, 0])) == pytest.approx(0.74)


def test_an_overconfident_model_gets_a_temperature_above_one_and_a_lower_ece():
    rng = np.random.default_rng(0)
    gold, scores = [], []
    for _ in range(400):  # right 70% of the time, always at 0.98
        label = rng.integers(3)
        guess = label if rng.random() < 0.7 else (label + 1) % 3
        row = np.full(3, 0.01)
        row[guess] = 0.98
        gold.append(["support", "oppose", "neutral"][label])
        scores.append(row)
    scores = np.array(scores)
    temperature = fit_temperature(scores, gold)
    assert temperature > 1.5
    before, after = calibration_report(scores, gold), calibration_report(scores, gold, temperature)
    assert after["ece"] < before["ece"] / 3 and after["wrong_at_0.9"] < before["wrong_at_0.9"]


def test_an_empty_dev_set_is_refused():
    with pytest.raises(ValueError, match="empty dev set"):
        fit_temperature(np.zeros((0, 3)), [])


def test_the_temperature_is_stored_in_the_model_folder(tiny_model, tmp_path):
    import shutil

    folder = shutil.copytree(tiny_model, tmp_path / "model")
    assert ModelSettings.read(folder).temperature == 1.0
    write_temperature(folder, 1.7)
    assert ModelSettings.read(folder).temperature == 1.7


def test_calibrate_fits_on_predictions_and_measures_other_files(tiny_model, tmp_path):
    import json
    import shutil

    from typer.testing import CliRunner

    from stance.cli import app

    folder = shutil.copytree(tiny_model, tmp_path / "model")
    rows = [{"stance": ["support", "oppose", "neutral"][i % 3], "found": True,
             "scores": {"support": 0.98, "oppose": 0.01, "neutral": 0.01}} for i in range(30)]
    predictions = tmp_path / "dev.pred.jsonl"
    predictions.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = CliRunner().invoke(app, ["calibrate", "--model", str(folder), "--predictions", str(predictions),
                                      "--measure", str(predictions)])
    assert result.exit_code == 0, result.output
    assert ModelSettings.read(folder).temperature > 1.5 and result.output.count("ECE") == 2
    both = CliRunner().invoke(app, ["calibrate", "--model", str(folder)])
    assert both.exit_code == 2 and "pass --data" in both.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"x": 1}\n')
    result = CliRunner().invoke(app, ["calibrate", "--model", str(folder), "--predictions", str(bad)])
    assert result.exit_code == 2 and "line 1: expected a record written by" in result.output

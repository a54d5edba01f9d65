import pytest

from stance.evaluate import metrics


def test_metrics_match_a_hand_computed_example():
    gold = ["support", "support", "oppose", "oppose", "neutral"]
    pred = ["support", "oppose", "oppose", "oppose", "support"]
    m = metrics(gold, pred)
    # support: P 1/2, R 1/2, F1 0.5; oppose: P 2/3, R 1, F1 0.8; neutral: P 0, R 0, F1 0
    assert m["accuracy"] == pytest.approx(3 / 5)
    assert m["per_label"]["support"]["f1"] == pytest.approx(0.5)
    assert m["per_label"]["oppose"]["precision"] == pytest.approx(2 / 3)
    assert m["per_label"]["oppose"]["f1"] == pytest.approx(0.8)
    assert m["macro_f1"] == pytest.approx((0.5 + 0.8 + 0.0) / 3)
    assert m["confusion"]["matrix"] == [[1, 1, 0], [0, 2, 0], [1, 0, 0]]


def test_macro_f1_only_over_labels_in_gold():
    m = metrics(["support", "oppose"], ["support", "neutral"])
    assert m["labels_scored"] == ["support", "oppose"]
    assert m["macro_f1"] == pytest.approx(0.5)

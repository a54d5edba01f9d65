"""Target-contrast pairs: one actor for one target and against another in one window, labelled
per target (training with ``contrast_share``, measuring with ``stance corpus contrast``)."""

import json
import random

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.model.network import ModelSettings
from stance.training.config import TrainConfig
from stance.training.examples import build_dataset, pack_examples
from stance.training.packing import contrast_pairs, contrast_records


def record(id_, actor, target, stance, text, actor_type="ORG", aliases=()):
    return {"id": id_, "text": text, "actor": actor, "actor_type": actor_type, "actor_aliases": list(aliases),
            "target": target, "stance": stance, "meta": {"group": id_}}


KERING = record("k", "Kering", "Alibaba", "oppose", "Kering sued Alibaba over fakes.")
PRADA = record("p", "Prada", "Amazon", "support", "Prada praised Amazon for its help.")


def test_a_pair_is_one_text_read_once_per_target_with_that_targets_label():
    packs = contrast_pairs([KERING, PRADA], 1.0, 160, random.Random(0))
    assert len(packs) == 2
    assert packs[0]["text"] == packs[1]["text"]
    text, kept = packs[0]["text"], packs[0]["actors"][0]["names"][0]
    renamed = ({"Kering", "Prada"} - {kept}).pop()
    assert renamed not in text and text.count(kept) == 2  # both passages now speak of one actor
    assert packs[1]["actors"][0]["names"][0] == kept
    by_target = {p["target"]: p["actors"][0]["stance"] for p in packs}
    assert by_target == {"Alibaba": "oppose", "Amazon": "support"}

    rows = [row for pack in packs for row in pack_examples(pack, ModelSettings())]
    assert len(rows) == 2 and rows[0]["labels"] != rows[1]["labels"]
    marked = [{row["text"][s:e] for s, e in row["target_spans"]} for row in rows]
    assert {"Alibaba"} in marked and {"Amazon"} in marked  # the same window, a different target marked


def test_a_person_is_renamed_with_the_short_name_too():
    ada = record("a", "Ada Lind", "Alibaba", "oppose", "Ada Lind attacked Alibaba. Lind said more.", "PERSON")
    bo = record("b", "Bo Stern", "Amazon", "neutral", "Bo Stern met Amazon. Stern said little.", "PERSON", ["Stern"])
    for seed in range(6):  # either record may keep its actor
        [pack, _] = contrast_pairs([ada, bo], 1.0, 160, random.Random(seed))
        names = pack["actors"][0]["names"]
        if names[0] == "Ada Lind":  # Bo Stern became Ada Lind, "Stern" her last name
            assert "Stern" not in pack["text"] and "Lind said little." in pack["text"]
            assert names == ["Ada Lind", "Lind"]
        else:  # Ada Lind became Bo Stern; her text had no alias to rename
            assert "Lind" not in pack["text"].replace("Lind said more.", "") and names == ["Bo Stern", "Stern"]


@pytest.mark.parametrize("other, why", [
    (record("p", "Prada", "Amazon", "oppose", "Prada sued Amazon."), "same stance"),
    (record("p", "Prada", "Alibaba", "support", "Prada praised Alibaba."), "same target"),
    (record("p", "Prada", "Amazon", "support", "Prada, unlike Alibaba, praised Amazon."), "names the other target"),
    (record("p", "Prada", "Amazon", "support", "Prada, unlike Kering, praised Amazon."), "names the other actor"),
    (record("p", "Pia Rossi", "Amazon", "support", "Pia Rossi praised Amazon.", "PERSON"), "other actor type"),
    (record("p", "Prada", "Amazon", "support", "Prada praised Amazon. " * 60), "too long for one window"),
])
def test_records_that_do_not_contrast_are_not_paired(other, why):
    assert contrast_pairs([KERING, other], 1.0, 160, random.Random(0)) == [], why


def test_contrast_share_adds_the_pairs_to_the_training_set():
    settings = ModelSettings()
    plain = build_dataset([KERING, PRADA], settings, seed=0)
    paired = build_dataset([KERING, PRADA], settings, seed=0, contrast_share=1.0)
    assert len(paired) == len(plain) + 2


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_contrast_share_outside_0_1_is_refused(tmp_path, share):
    data = tmp_path / "records.jsonl"
    data.write_text(json.dumps(KERING) + "\n")
    with pytest.raises(ValueError, match="contrast_share must be between 0 and 1"):
        TrainConfig(str(data), str(data), str(tmp_path / "model"), base_model="x", contrast_share=share)


def test_contrast_records_name_their_sources():
    [first, second] = contrast_records([KERING, PRADA], 1.0, 160)
    assert {(r["target"], r["stance"]) for r in (first, second)} == {("Alibaba", "oppose"), ("Amazon", "support")}
    assert first["actor"] == second["actor"] and first["text"] == second["text"]
    assert sorted(first["meta"]["sources"]) == ["k", "p"] and first["meta"]["group"] == second["meta"]["group"]


def test_corpus_contrast_cli_writes_refuses_overwrite_and_explains_an_unpairable_file(tmp_path):
    source = tmp_path / "test.jsonl"
    source.write_text(json.dumps(KERING) + "\n" + json.dumps(PRADA) + "\n")
    out = tmp_path / "contrast.jsonl"
    runner = CliRunner()
    done = runner.invoke(app, ["corpus", "contrast", str(source), "--out", str(out), "--share", "1"])
    assert done.exit_code == 0, done.output
    assert "2 records (1 pairs)" in done.output and len(out.read_text().splitlines()) == 2
    again = runner.invoke(app, ["corpus", "contrast", str(source), "--out", str(out)])
    assert again.exit_code != 0 and "--force" in again.output
    lonely = tmp_path / "one.jsonl"
    lonely.write_text(json.dumps(KERING) + "\n")
    none = runner.invoke(app, ["corpus", "contrast", str(lonely), "--out", str(tmp_path / "x.jsonl")])
    assert none.exit_code != 0 and "could be paired" in none.output
    bad = runner.invoke(app, ["corpus", "contrast", str(source), "--out", str(tmp_path / "y.jsonl"), "--share", "0"])
    assert bad.exit_code != 0 and "--share" in bad.output

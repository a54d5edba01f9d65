"""Packed training windows: several records about one target in one window, each actor keeping its
own record's label."""

import json
import random

import pytest
import torch

from stance.model.network import ModelSettings, load_model
from stance.training.config import TrainConfig
from stance.training.examples import WindowCollator, build_dataset, pack_examples
from stance.training.packing import pack_records
from stance.training.trainer import train


def record(id_, actor, target, stance, text, group=None):
    return {"id": id_, "text": text, "actor": actor, "target": target, "stance": stance,
            "meta": {"group": group or id_}}


RECORDS = [
    record("a", "Kering", "Alibaba", "oppose", "Kering sued Alibaba over fakes."),
    record("b", "Longchamp", "Alibaba", "support", "Longchamp praised Alibaba for its help."),
    record("c", "Rimowa", "Alibaba", "neutral", "Rimowa met Alibaba on Monday."),
    record("d", "Gucci", "Amazon", "oppose", "Gucci pulled its goods from Amazon."),
]


def test_packs_hold_one_target_and_each_actor_once():
    packs = pack_records(RECORDS, 1.0, 160, random.Random(0), most=4)
    assert packs, "three compatible Alibaba records should make a pack"
    for pack in packs:
        assert pack["target"] == "Alibaba"  # Gucci's record is about Amazon and is never packed with them
        assert len(pack["text"]) <= 160 * 4
        for actor in pack["actors"]:
            assert pack["text"].count(actor["names"][0]) == 1


def test_records_sharing_a_group_or_naming_each_other_are_not_packed():
    twins = [
        record("a1", "Kering", "Alibaba", "oppose", "Kering sued Alibaba.", group="g"),
        record("a2", "Gucci", "Alibaba", "oppose", "Gucci sued Alibaba.", group="g"),
        record("b", "Prada", "Alibaba", "support", "Prada, unlike Kering and Gucci, praised Alibaba."),
    ]
    assert pack_records(twins, 1.0, 160, random.Random(0)) == []


def test_a_pack_is_one_window_with_every_actor_labelled_by_its_record():
    [pack] = pack_records(RECORDS[:2], 1.0, 160, random.Random(0))
    [row] = pack_examples(pack, ModelSettings())
    names = [[row["text"][s:e] for s, e in spans] for spans in row["actor_spans"]]
    by_name = {spans[0]: label for spans, label in zip(names, row["labels"], strict=True)}
    assert by_name == {"Kering": 1, "Longchamp": 0}  # LABELS: support 0, oppose 1, neutral 2


def test_collator_gives_one_label_per_actor_row(tiny_model):
    _, tokenizer, settings = load_model(tiny_model)
    data = build_dataset(RECORDS, settings, pack_share=1.0)
    rows = list(data)
    batch = WindowCollator(tokenizer, settings.max_length)(rows)
    actors = sum(len(r["labels"]) for r in rows)
    assert len(data) > len(RECORDS)  # the single records, then the packs
    assert batch["labels"].shape == (actors,) and batch["actor_mask"].shape[0] == actors
    assert batch["window_index"].tolist() == [i for i, r in enumerate(rows) for _ in r["labels"]]
    assert torch.equal(batch["task"], torch.zeros(actors, dtype=torch.long))


def test_training_with_packs_writes_a_model(tiny_encoder, tmp_path):
    data = tmp_path / "records.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    cfg = TrainConfig(str(data), str(data), str(tmp_path / "model"), base_model=str(tiny_encoder), epochs=1,
                      batch_size=4, checkpoint_dir=str(tmp_path / "checkpoints"), pack_share=1.0)
    load_model(train(cfg))
    assert json.loads((tmp_path / "model" / "train_config.json").read_text())["pack_share"] == 1.0


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_pack_share_outside_0_1_is_refused(tmp_path, share):
    data = tmp_path / "records.jsonl"
    data.write_text(json.dumps(RECORDS[0]) + "\n")
    with pytest.raises(ValueError, match="pack_share must be between 0 and 1"):
        TrainConfig(str(data), str(data), str(tmp_path / "model"), base_model="x", pack_share=share)


def test_record_packs_and_article_packs_are_each_read_once():
    settings = ModelSettings()
    singles = len(build_dataset(RECORDS, settings))
    record_packs = pack_records(RECORDS, 1.0, settings.window_tokens, random.Random(0))
    article = {"text": "Kering sued Veltra. Lumen praised Veltra.", "target": "Veltra", "target_aliases": [],
               "actors": [{"names": ["Kering"], "stance": "oppose"}, {"names": ["Lumen"], "stance": "support"}]}
    packed = len(build_dataset(RECORDS, settings, pack_share=1.0))
    with_article = len(build_dataset(RECORDS, settings, pack_share=1.0, packs=[article]))
    assert packed == singles + sum(len(pack_examples(p, settings)) for p in record_packs)
    assert with_article == packed + len(pack_examples(article, settings))

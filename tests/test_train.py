"""`stance train` end to end on the tiny encoder: the Trainer runs, checkpoints, and writes a model
folder that the pipeline loads."""

import json

import pytest

from stance.errors import CorpusError
from stance.model.network import load_model
from stance.model.templates import ACTOR_MARKER_TEMPLATE, DEFAULT_TEMPLATE
from stance.training.config import TrainConfig
from stance.training.sentiment import SENTIMENT_TASK, SENTIMENTS, read_newsmtsc, sentiment_rows
from stance.training.trainer import train


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


def test_actor_marker_model_trains_and_tags_each_actor(tiny_encoder, tmp_path):
    import stance

    records = [
        {"id": f"r{i}", "text": text, "actor": actor, "target": "Alibaba", "stance": label}
        for i, (actor, label, text) in enumerate([
            ("Kering", "oppose", "Kering sued Alibaba."), ("Longchamp", "support", "Longchamp praised Alibaba."),
        ])
    ]
    data = tmp_path / "records.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records))
    cfg = TrainConfig(str(data), str(data), str(tmp_path / "model"), base_model=str(tiny_encoder), epochs=1,
                      batch_size=4, checkpoint_dir=str(tmp_path / "checkpoints"), template=ACTOR_MARKER_TEMPLATE)
    folder = train(cfg)
    _, tokenizer, settings = load_model(folder)
    assert settings.template == ACTOR_MARKER_TEMPLATE
    ids = tokenizer(["[ACT] Kering [/ACT]"], 16)["input_ids"][0].tolist()
    # each marker is one added token, not split into "[", "act", "]"
    assert (ids[1], ids[-2]) == (tokenizer.backend.token_to_id("[ACT]"), tokenizer.backend.token_to_id("[/ACT]"))
    doc = stance.load(folder, targets=["Alibaba"])("Kering sued Alibaba, and Longchamp praised Alibaba.")
    assert {(s.actor, s.target) for s in doc._.stances} == {("Kering", "Alibaba"), ("Longchamp", "Alibaba")}


def test_an_unknown_template_is_refused_with_the_registered_names(tmp_path):
    data = tmp_path / "records.jsonl"
    data.write_text("")
    with pytest.raises(ValueError, match="stance.actor_marker.v1"):
        TrainConfig(str(data), str(data), str(tmp_path / "model"), base_model="x", template="stance.nope")


def _newsmtsc_file(path, lines):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_sentiment_task_trains_beside_stance_and_is_not_saved(tiny_encoder, tmp_path):
    records = [
        {"id": f"r{i}", "text": text, "actor": "Kering", "target": "Alibaba", "stance": label}
        for i, (label, text) in enumerate([("oppose", "Kering sued Alibaba."), ("support", "Kering praised Alibaba.")])
    ]
    data = tmp_path / "records.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records))
    mtsc = _newsmtsc_file(tmp_path / "mtsc.jsonl", [
        {"sentence_normalized": "Critics slammed Smith and praised Jones.", "targets": [
            {"from": 16, "to": 21, "mention": "Smith", "polarity": 2.0},
            {"from": 34, "to": 39, "mention": "Jones", "polarity": 6.0}]},
    ])
    cfg = TrainConfig(str(data), str(data), str(tmp_path / "model"), base_model=str(tiny_encoder), epochs=1,
                      batch_size=4, checkpoint_dir=str(tmp_path / "checkpoints"), sentiment_file=str(mtsc))
    network, _, _ = load_model(train(cfg))
    assert network.sentiment_head is None  # a training aid only: the shipped folder has one head
    assert json.loads((tmp_path / "model" / "train_config.json").read_text())["sentiment_file"] == str(mtsc)


def test_sentiment_rows_mark_the_target_and_no_actor(tmp_path):
    mtsc = _newsmtsc_file(tmp_path / "mtsc.jsonl", [
        {"sentence_normalized": "Critics slammed Smith.",
         "targets": [{"from": 16, "to": 21, "mention": "Smith", "polarity": 4.0}]},
    ])
    (row,) = sentiment_rows(mtsc, DEFAULT_TEMPLATE)
    assert row["text"] == "[TGT] Smith [/TGT] | Critics slammed [TGT] Smith [/TGT]."
    assert row["actor_spans"] == [[]] and row["task"] == SENTIMENT_TASK and [SENTIMENTS[i] for i in row["labels"]] == ["neutral"]
    assert [row["text"][s:e] for s, e in row["target_spans"]] == ["Smith", "Smith"]


@pytest.mark.parametrize("line, problem", [
    ({"sentence": "x"}, "sentence_normalized"),
    ({"sentence_normalized": "Critics slammed Smith.",
      "targets": [{"from": 0, "to": 5, "mention": "Smith", "polarity": 2.0}]}, "not 'Smith'"),
    ({"sentence_normalized": "Smith.", "targets": [{"from": 0, "to": 5, "mention": "Smith", "polarity": 3.0}]}, "polarity"),
])
def test_a_bad_newsmtsc_line_is_explained(tmp_path, line, problem):
    path = _newsmtsc_file(tmp_path / "bad.jsonl", [line])
    with pytest.raises(CorpusError, match="line 1") as error:
        read_newsmtsc(path)
    assert problem in str(error.value) and "Expected a NewsMTSC line" in str(error.value)


def test_a_missing_sentiment_file_is_refused(tmp_path):
    data = tmp_path / "records.jsonl"
    data.write_text("")
    with pytest.raises(ValueError, match="NewsMTSC"):
        TrainConfig(str(data), str(data), str(tmp_path / "model"), base_model="x", sentiment_file=str(tmp_path / "nope.jsonl"))


def test_extra_train_files_are_trained_on_and_a_missing_one_is_refused(tiny_encoder, tmp_path, monkeypatch):
    import stance.training.trainer

    main, extra = tmp_path / "main.jsonl", tmp_path / "extra.jsonl"
    main.write_text(json.dumps({"id": "m", "text": "Kering sued Alibaba.", "actor": "Kering", "target": "Alibaba",
                                "stance": "oppose"}) + "\n")
    extra.write_text(json.dumps({"id": "e", "text": "Walsh praised Brody.", "actor": "Walsh", "target": "Brody",
                                 "stance": "support"}) + "\n")
    with pytest.raises(ValueError, match="extra_train_files .*nope.jsonl"):
        TrainConfig(str(main), str(main), str(tmp_path / "model"), base_model="x",
                    extra_train_files=[str(tmp_path / "nope.jsonl")])
    seen = []

    def first_call_only(records, *args, **kwargs):
        seen.append([r["id"] for r in records])
        raise RuntimeError("stop before training")

    monkeypatch.setattr(stance.training.trainer, "build_dataset", first_call_only)
    cfg = TrainConfig(str(main), str(main), str(tmp_path / "model"), base_model=str(tiny_encoder),
                      extra_train_files=[str(extra)])
    with pytest.raises(RuntimeError, match="stop before training"):
        train(cfg)
    assert seen == [["m", "e"]]  # the training set reads both files; dev reads only its own


def test_whole_articles_train_and_a_model_continues_from_another(tiny_encoder, tiny_model, tmp_path):
    from test_articles import article

    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps({"id": "r", "text": "Kering sued Alibaba.", "actor": "Kering",
                                   "target": "Alibaba", "stance": "oppose"}) + "\n")
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps(article()) + "\n")
    cfg = TrainConfig(
        str(records), str(records), str(tmp_path / "model"), base_model=str(tiny_encoder), epochs=1, batch_size=4,
        checkpoint_dir=str(tmp_path / "checkpoints"), article_files=[str(articles)], article_repeat=2,
        dev_articles_file=str(articles), init_model=str(tiny_model),
    )
    network, _, _ = load_model(train(cfg))
    assert network.head[-1].out_features == 3
    with pytest.raises(ValueError, match="not a stance model folder"):
        TrainConfig(str(records), str(records), str(tmp_path / "m2"), init_model=str(tmp_path))
    with pytest.raises(ValueError, match="article_repeat must be 1 or more"):
        TrainConfig(str(records), str(records), str(tmp_path / "m2"), article_repeat=0)


def test_training_windows_use_the_pipelines_sentences_not_a_regex():
    import stance
    from stance.text.sentences import split_sentences
    from stance.training.examples import SENTENCES

    # "Mr." and "U.S." end no sentence for spaCy; a regex splits after them
    text = "Mr. Li of the U.S. Trade Office said Alibaba must act.\n\nKering sued Alibaba. Gucci agreed."
    nlp = stance.load(stances=False)
    assert SENTENCES(text) == [(s.start_char, s.end_char) for s in nlp(text).sents]
    assert SENTENCES(text) != split_sentences(text)

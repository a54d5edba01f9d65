import torch

from stance.model.network import encode_windows, load_model, masked_mean, save_model
from stance.model.templates import target_marker_v1
from stance.training.examples import WindowCollator, build_dataset


def training_records():
    texts = {
        "oppose": "Kering sued Alibaba over fakes.",
        "support": "Kering praised Alibaba for its help.",
        "neutral": "Kering met Alibaba on Monday.",
    }
    return [
        {"id": label, "text": text, "actor": "Kering", "target": "Alibaba", "stance": label}
        for label, text in texts.items()
    ]


def test_overfit_then_round_trip(tiny_model, tmp_path):
    network, tokenizer, settings = load_model(tiny_model)
    data = build_dataset(training_records(), settings)
    batch = WindowCollator(tokenizer, settings.max_length)(list(data))
    optimiser = torch.optim.AdamW(network.parameters(), lr=3e-3)
    network.train()
    for _ in range(60):
        optimiser.zero_grad()
        loss = network(**batch)["loss"]
        loss.backward()
        optimiser.step()
    network.eval()
    labels = batch.pop("labels")
    with torch.no_grad():
        before = network(**batch)["logits"]
    assert (before.argmax(-1) == labels).all(), "the tiny model should memorise three examples"

    save_model(network, tokenizer, settings, tmp_path / "saved")
    reloaded, _, reloaded_settings = load_model(tmp_path / "saved")
    with torch.no_grad():
        after = reloaded(**batch)["logits"]
    assert reloaded_settings == settings
    assert torch.allclose(before, after, atol=2e-2)  # weights are stored in half precision
    assert (after.argmax(-1) == labels).all()


def test_sentiment_rows_train_their_own_head_not_the_stance_head(tiny_model):
    network, tokenizer, settings = load_model(tiny_model)
    network.sentiment_head, network.sentiment_weight = torch.nn.Linear(2 * network.encoder.config.hidden_size, 3), 0.5
    network.eval()
    batch = WindowCollator(tokenizer, settings.max_length)(list(build_dataset(training_records(), settings)))
    batch["task"] = torch.tensor([0, 0, 1])  # the last row now counts as a sentiment example
    with torch.no_grad():
        output = network(**batch)
        hidden = network.encoder(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
    stance = torch.nn.functional.cross_entropy(output["logits"][:2], batch["labels"][:2])
    pooled = torch.cat([hidden[2, 0], masked_mean(hidden[2:], batch["target_mask"][2:])[0]])
    sentiment = torch.nn.functional.cross_entropy(network.sentiment_head(pooled)[None], batch["labels"][2:])
    assert torch.allclose(output["loss"], stance + 0.5 * sentiment, atol=1e-5)


def test_one_pass_serves_every_actor_in_a_window(tiny_model):
    network, tokenizer, settings = load_model(tiny_model)
    text = "Gucci sued Alibaba while LVMH stayed quiet."
    window = target_marker_v1(text, "Alibaba", [(11, 18)], [[(0, 5)], [(25, 29)]])
    inputs = encode_windows(tokenizer, [window], settings.max_length)
    assert inputs["input_ids"].shape[0] == 1 and inputs["actor_mask"].shape[0] == 2
    with torch.no_grad():
        shared = network(**inputs)["logits"]
    for i, spans in enumerate(window.actor_spans):
        single = type(window)(window.text, [spans], window.target_spans)
        with torch.no_grad():
            alone = network(**encode_windows(tokenizer, [single], settings.max_length))["logits"]
        assert torch.allclose(shared[i], alone[0], atol=1e-5)


def test_pickled_weights_are_refused(tiny_model, tmp_path):
    import shutil

    import pytest

    from stance.errors import ModelError

    folder = tmp_path / "pickled"
    shutil.copytree(tiny_model, folder)
    (folder / "encoder" / "model.safetensors").unlink()
    (folder / "encoder" / "pytorch_model.bin").write_bytes(b"not really a pickle")
    with pytest.raises(ModelError, match="safetensors"):
        load_model(folder)


def test_missing_model_folder_is_explained(tmp_path):
    import pytest

    from stance.errors import ModelError

    with pytest.raises(ModelError, match="stance train"):
        load_model(tmp_path)


def test_affiliated_actors_speak_for_their_target(tiny_nlp):
    """CORPUS.md: a spokesperson speaking for the target supports it, whatever the window says."""
    text = "Alibaba spokeswoman Ana Ruiz defended Alibaba on Monday. Lumen Watch sued Alibaba."
    classifier = tiny_nlp.get_pipe("stance_classifier")
    try:
        stances = {s.actor: s for s in tiny_nlp(text)._.stances}
        assert stances["Ana Ruiz"].label == "support" and stances["Ana Ruiz"].decided_by == "affiliation"
        assert stances["Ana Ruiz"].affiliated and stances["Ana Ruiz"].evidence
        assert stances["Lumen Watch"].decided_by == "model" and not stances["Lumen Watch"].affiliated
        classifier.affiliated_support = False
        ruiz = next(s for s in tiny_nlp(text)._.stances if s.actor == "Ana Ruiz")
        assert ruiz.decided_by == "model" and ruiz.label == max(ruiz.scores, key=ruiz.scores.get)
    finally:
        classifier.affiliated_support = True

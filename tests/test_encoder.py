"""The inference encoder and tokenizer compute exactly what transformers computes."""

import pytest
import torch

from stance.model.encoder import BertEncoder, WindowTokenizer, is_native

TEXTS = ["[TGT] Alibaba [/TGT] | Gucci sued [TGT] Alibaba [/TGT].", "Kering met Alibaba on Monday, then said no more."]


def test_native_encoder_matches_transformers(tiny_encoder):
    from transformers import AutoModel, AutoTokenizer

    hf_tokenizer = AutoTokenizer.from_pretrained(str(tiny_encoder))
    batch = hf_tokenizer(TEXTS, padding=True, return_tensors="pt")
    reference = AutoModel.from_pretrained(str(tiny_encoder)).eval()
    native = BertEncoder.from_folder(tiny_encoder)
    for grad in (torch.no_grad, torch.inference_mode):  # inference mode takes torch's fused path
        with grad():
            expected = reference(**batch).last_hidden_state
            found = native(batch["input_ids"], batch["attention_mask"]).last_hidden_state
        real = batch["attention_mask"].bool()
        assert torch.allclose(expected[real], found[real], atol=1e-5)


def test_native_encoder_saves_what_transformers_reads(tiny_encoder, tmp_path):
    from transformers import AutoModel

    native = BertEncoder.from_folder(tiny_encoder)
    native.save(tmp_path / "encoder", dtype=torch.float32)
    reloaded = AutoModel.from_pretrained(str(tmp_path / "encoder")).eval()
    ids = torch.tensor([[101, 2000, 3000, 102]])
    mask = torch.ones_like(ids)
    with torch.no_grad():
        assert torch.allclose(reloaded(input_ids=ids, attention_mask=mask).last_hidden_state,
                              native(ids, mask).last_hidden_state, atol=1e-5)


def test_window_tokenizer_matches_transformers(tiny_model):
    from transformers import AutoTokenizer

    ours = WindowTokenizer.from_folder(tiny_model)(TEXTS, max_length=12)
    theirs = AutoTokenizer.from_pretrained(str(tiny_model))(
        TEXTS, truncation=True, max_length=12, padding=True, return_offsets_mapping=True, return_tensors="pt"
    )
    for key in ("input_ids", "attention_mask", "offset_mapping"):
        assert torch.equal(ours[key], theirs[key]), key
    assert ours["input_ids"].shape == (2, 12)


@pytest.mark.parametrize(
    ("config", "native"),
    [
        ({"model_type": "bert", "hidden_act": "gelu"}, True),
        ({"model_type": "bert", "hidden_act": "gelu", "position_embedding_type": "relative_key"}, False),
        ({"model_type": "roberta", "hidden_act": "gelu"}, False),
    ],
)
def test_only_plain_bert_runs_natively(config, native):
    assert is_native(config) is native

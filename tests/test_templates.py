from stance.model import ModelSettings
from stance.pipeline.contexts import build_contexts, find_mentions, pack_sentences, split_sentences
from stance.pipeline.templates import DEFAULT_TEMPLATE, get_template, target_marker_v1
from stance.train import record_examples


def test_template_marks_target_and_keeps_actor_offsets():
    window = target_marker_v1("Gucci sued Alibaba. Alibaba said no.", "Alibaba", [(11, 18), (20, 27)], [[(0, 5)]])
    assert window.text == "[TGT] Alibaba [/TGT] | Gucci sued [TGT] Alibaba [/TGT]. [TGT] Alibaba [/TGT] said no."
    assert [window.text[s:e] for s, e in window.actor_spans[0]] == ["Gucci"]
    assert [window.text[s:e] for s, e in window.target_spans] == ["Alibaba"] * 3


def test_template_is_registered_by_name():
    assert get_template(DEFAULT_TEMPLATE) is target_marker_v1


def test_training_and_inference_build_the_same_window():
    text = "Kering sued Alibaba in New York. The case is pending."
    record = {"text": text, "actor": "Kering", "target": "Alibaba", "stance": "oppose"}
    settings = ModelSettings()
    [example] = record_examples(record, settings)
    contexts = build_contexts(
        text, split_sentences(text), {"Kering": find_mentions(text, ["Kering"])}, "Alibaba",
        find_mentions(text, ["Alibaba"]), settings.template, settings.window_tokens,
    )
    assert example["text"] == contexts[0].window.text
    assert [tuple(s) for s in example["actor_spans"]] == contexts[0].window.actor_spans[0]


def test_pronoun_only_record_pools_cls():
    record = {"text": "It pulled its goods from Veltra.", "actor": "Brightwell", "target": "Veltra", "stance": "oppose"}
    [example] = record_examples(record, ModelSettings())
    assert example["actor_spans"] == []


def test_sentences_pack_into_windows_under_budget():
    text = " ".join(f"Sentence number {i} is here." for i in range(60))
    chunks = pack_sentences(split_sentences(text), window_tokens=40)
    assert len(chunks) > 1
    assert all(end - start <= 40 * 4 for start, end in chunks)
    assert chunks[0][0] == 0 and chunks[-1][1] == len(text)


def test_find_mentions_whole_words_longest_first():
    text = "Veltra Express and Veltra; not Veltrax."
    assert find_mentions(text, ["Veltra", "Veltra Express"]) == [(0, 14), (19, 25)]

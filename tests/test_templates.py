import pytest

from stance.model.contexts import build_contexts, pack_sentences_by_index, select_sentences
from stance.model.network import ModelSettings
from stance.model.templates import (
    ACTOR_MARKER_TEMPLATE,
    DEFAULT_TEMPLATE,
    actor_marker_v1,
    get_template,
    target_marker_v1,
)
from stance.text.sentences import find_mentions, split_sentences
from stance.training.examples import record_examples


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
    assert [[tuple(s) for s in spans] for spans in example["actor_spans"]] == contexts[0].window.actor_spans


def test_pronoun_only_record_pools_cls():
    record = {"text": "It pulled its goods from Veltra.", "actor": "Brightwell", "target": "Veltra", "stance": "oppose"}
    [example] = record_examples(record, ModelSettings())
    assert example["actor_spans"] == [[]]


def test_sentences_pack_into_windows_under_budget():
    text = " ".join(f"Sentence number {i} is here." for i in range(60))
    sentences = split_sentences(text)
    chunks = pack_sentences_by_index(sentences, range(len(sentences)), window_tokens=40)
    assert len(chunks) > 1
    assert all(sentences[c[-1]][1] - sentences[c[0]][0] <= 40 * 4 for c in chunks)
    assert [i for c in chunks for i in c] == list(range(len(sentences)))


def test_find_mentions_whole_words_longest_first():
    text = "Veltra Express and Veltra; not Veltrax."
    assert find_mentions(text, ["Veltra", "Veltra Express"]) == [(0, 14), (19, 25)]


def test_sentence_budget_keeps_each_actors_most_telling_sentences():
    text = (
        "Kering opened a store. Kering hired staff. Kering sued Veltra on Monday. "
        "It said fakes hurt sales. The weather was fine. Lumen praised Veltra."
    )
    sentences = split_sentences(text)
    actors = {"Kering": find_mentions(text, ["Kering"]), "Lumen": find_mentions(text, ["Lumen"])}
    chosen = select_sentences(text, sentences, actors, find_mentions(text, ["Veltra"]), per_actor=1)
    # Kering: the sentence naming the target, plus the pronoun sentence after it; Lumen: its only one
    assert chosen == [2, 3, 5]
    assert select_sentences(text, sentences, actors, [], per_actor=0) == list(range(6))


def test_windows_of_non_adjacent_sentences_keep_spans_aligned():
    text = "Kering opened a store. The weather was fine. Kering sued Veltra. Lumen praised Veltra."
    sentences = split_sentences(text)
    actors = {"Kering": find_mentions(text, ["Kering"]), "Lumen": find_mentions(text, ["Lumen"])}
    targets = find_mentions(text, ["Veltra"])
    [whole] = build_contexts(text, sentences, actors, "Veltra", targets, DEFAULT_TEMPLATE, 160, sentences_per_actor=1)
    assert "weather" in whole.window.text  # a text that fits in one window is read whole
    [context] = build_contexts(text, sentences, actors, "Veltra", targets, DEFAULT_TEMPLATE, 20, sentences_per_actor=1)
    window = context.window
    assert "weather" not in window.text and "opened" not in window.text
    assert context.actors == ["Kering", "Lumen"]
    assert [window.text[s:e] for s, e in window.actor_spans[0]] == ["Kering"]
    assert [window.text[s:e] for s, e in window.actor_spans[1]] == ["Lumen"]
    assert {window.text[s:e] for s, e in window.target_spans} == {"Veltra"}
    assert text[slice(*context.evidence[0][0])] == "Kering sued Veltra."


def test_actor_template_marks_its_one_actor_and_keeps_every_offset():
    text = "Gucci sued Alibaba. Gucci said Alibaba sells fakes."
    window = actor_marker_v1(text, "Alibaba", [(11, 18), (31, 38)], [[(0, 5), (20, 25)]])
    assert window.text == (
        "[TGT] Alibaba [/TGT] | [ACT] Gucci [/ACT] sued [TGT] Alibaba [/TGT]. "
        "[ACT] Gucci [/ACT] said [TGT] Alibaba [/TGT] sells fakes."
    )
    assert [window.text[s:e] for s, e in window.actor_spans[0]] == ["Gucci", "Gucci"]
    assert [window.text[s:e] for s, e in window.target_spans] == ["Alibaba"] * 3
    with pytest.raises(ValueError, match="one actor per window"):
        actor_marker_v1(text, "Alibaba", [], [[(0, 5)], [(20, 25)]])


def test_actor_template_gives_each_actor_its_own_window():
    text = "Kering sued Veltra. Lumen praised Veltra."
    actors = {"Kering": find_mentions(text, ["Kering"]), "Lumen": find_mentions(text, ["Lumen"])}
    shared = build_contexts(text, split_sentences(text), actors, "Veltra", find_mentions(text, ["Veltra"]), DEFAULT_TEMPLATE, 160)
    kering, lumen = build_contexts(
        text, split_sentences(text), actors, "Veltra", find_mentions(text, ["Veltra"]), ACTOR_MARKER_TEMPLATE, 160
    )
    assert [c.actors for c in shared] == [["Kering", "Lumen"]]
    assert (kering.actors, lumen.actors) == (["Kering"], ["Lumen"])
    assert "[ACT] Kering [/ACT]" in kering.window.text and "[ACT]" not in kering.window.text.replace("[ACT] Kering", "")
    assert "[ACT] Lumen [/ACT]" in lumen.window.text and "[ACT] Kering" not in lumen.window.text
    assert lumen.evidence == [shared[0].evidence[1]]


def test_actor_template_training_matches_inference_and_skips_empty_actor_spans():
    settings = ModelSettings(template=ACTOR_MARKER_TEMPLATE)
    text = "Kering sued Alibaba in New York. The case is pending."
    [example] = record_examples({"text": text, "actor": "Kering", "target": "Alibaba", "stance": "oppose"}, settings)
    [context] = build_contexts(
        text, split_sentences(text), {"Kering": find_mentions(text, ["Kering"])}, "Alibaba",
        find_mentions(text, ["Alibaba"]), settings.template, settings.window_tokens,
    )
    assert example["text"] == context.window.text and "[ACT] Kering [/ACT]" in example["text"]
    pronoun = {"text": "It pulled its goods from Veltra.", "actor": "Brightwell", "target": "Veltra", "stance": "oppose"}
    [example] = record_examples(pronoun, settings)
    assert example["actor_spans"] == [[]] and "[ACT]" not in example["text"]


def test_actor_template_with_a_sentence_budget_reads_each_actor_in_its_own_sentences():
    text = "Kering opened a store. The weather was fine. Kering sued Veltra. Lumen praised Veltra."
    actors = {"Kering": find_mentions(text, ["Kering"]), "Lumen": find_mentions(text, ["Lumen"])}
    kering, lumen = build_contexts(
        text, split_sentences(text), actors, "Veltra", find_mentions(text, ["Veltra"]), ACTOR_MARKER_TEMPLATE, 20,
        sentences_per_actor=1,
    )
    assert kering.window.text == "[TGT] Veltra [/TGT] | [ACT] Kering [/ACT] sued [TGT] Veltra [/TGT]."
    assert lumen.window.text == "[TGT] Veltra [/TGT] | [ACT] Lumen [/ACT] praised [TGT] Veltra [/TGT]."

"""The pipeline is described by its spaCy config: every component comes from a registered factory,
and nlp.to_disk() / spacy.load() rebuild the same pipeline."""

import spacy

import stance
from stance.records import doc_record

TEXT = "Kering sued Alibaba over fakes.\n\nVeltra spokeswoman Ana Ruiz said the platform removes counterfeits."


def test_every_component_comes_from_a_registered_factory(tiny_model):
    nlp = stance.load(tiny_model, targets=["Veltra=Veltra Express", "Alibaba"])
    factories = {name: nlp.get_pipe_meta(name).factory for name in nlp.pipe_names}
    assert [name for name in nlp.pipe_names if name.startswith("stance")] == [
        "stance_line_breaks", "stance_ruler", "stance_actors", "stance_classifier"]
    assert factories["stance_ruler"] == "stance_kb_ruler"
    assert nlp.config["components"]["stance_actors"]["targets"] == ["Veltra=Veltra Express", "Alibaba"]


def test_to_disk_and_spacy_load_round_trip(tiny_model, tmp_path):
    nlp = stance.load(tiny_model, targets=["Alibaba", "Veltra"])
    nlp.to_disk(tmp_path / "pipeline")
    again = spacy.load(tmp_path / "pipeline")
    assert again.pipe_names == nlp.pipe_names
    assert (tmp_path / "pipeline" / "stance_classifier" / "head.safetensors").is_file()
    before, after = doc_record(nlp(TEXT)), doc_record(again(TEXT))
    assert after == before and any(actor["stances"] for actor in after["actors"])


def test_one_pipeline_serves_any_target_from_several_threads(tiny_model):
    from concurrent.futures import ThreadPoolExecutor

    from stance.api import make_doc

    nlp = stance.load(tiny_model)
    config = nlp.config.to_str()
    targets = ["Alibaba", "Veltra", "Kering", "Alibaba", "Veltra", "Kering"] * 2

    def stances_toward(target):
        doc = nlp(make_doc(nlp, TEXT, [target]))
        return [(s.actor, s.target, s.label, round(s.score, 6)) for s in doc._.stances]

    alone = [stances_toward(t) for t in targets]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(stances_toward, targets))
    assert together == alone
    assert all(found and {s[1] for s in found} == {target} for found, target in zip(alone, targets, strict=True))
    assert nlp.config.to_str() == config  # no call changed the pipeline

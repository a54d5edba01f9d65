"""A few fast checks of the real shipped model (models/stance-minilm)."""

import pytest

import stance
from stance.api import SHIPPED_MODEL


@pytest.fixture(scope="module")
def nlp():
    return stance.load(targets=["Alibaba"])


def test_shipped_model_is_small_safetensors_and_self_describing():
    files = [p for p in SHIPPED_MODEL.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 50 * 2**20
    assert not [p for p in files if p.suffix in (".bin", ".pt", ".pkl")]
    assert (SHIPPED_MODEL / "encoder" / "model.safetensors").is_file()
    assert (SHIPPED_MODEL / "README.md").read_text().count("bbc-dev") >= 1


@pytest.fixture(scope="module")
def sample_doc(nlp, sample_text):
    return nlp(sample_text)


# The expectations for the sample article, target Alibaba. A known miss is recorded as a
# strict xfail: the suite shows it, and fails once a retrained model gets it right (update it then).
SAMPLE_EXPECTED = {
    "Michael Kors": "oppose", "Lee Sporn": "oppose", "Gucci": "oppose", "Kering": "oppose",
    "Yves Saint Laurent": "oppose", "Longchamp": "oppose", "Louis Vuitton": "oppose",
    "LVMH": "neutral", "Jack Ma": "support",  # "Ma Yun", Alibaba's founder: affiliated
}
KNOWN_MISSES: dict[str, str] = {  # actor -> what the shipped model says instead, and why
    "Michael Kors": "support 0.42 against oppose 0.36, tipped by the article's ambiguous 'Michael Kors acted "
                    "supportively' read as support for Alibaba; see the model card",
}


@pytest.mark.parametrize("actor", [
    pytest.param(actor, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[actor])) if actor in KNOWN_MISSES else actor
    for actor in SAMPLE_EXPECTED
])
def test_sample_article_stances(sample_doc, actor):
    labels = {s.actor: s.label for s in sample_doc._.stances if s.target == "Alibaba"}
    assert labels.get(actor) == SAMPLE_EXPECTED[actor]


def test_sample_article_scores_and_evidence_are_consistent(sample_doc):
    doc = sample_doc
    for s in doc._.stances:
        assert abs(sum(s.scores.values()) - 1) < 1e-3 and s.score == s.scores[s.label]
        assert s.decided_by == ("affiliation" if s.affiliated else "model")
        if s.decided_by == "model":
            assert s.score == max(s.scores.values())
        for evidence in s.evidence:
            assert doc.text[evidence.start : evidence.end].strip() == evidence.sentence


def test_classify_clear_cases():
    sued = stance.classify("Gucci sued Alibaba over counterfeit handbags sold on Taobao.", "Gucci", "Alibaba")
    assert sued["label"] == "oppose"
    result = stance.classify("Visa said it was proud to renew its long partnership with Alibaba.", "Visa", "Alibaba")
    assert result["found"] and result["label"] == "support"


def test_api_shapes():
    assert stance.tag([]) == []
    one = stance.tag("Gucci sued Alibaba over fakes.", target="Alibaba")
    assert isinstance(one, dict) and one["actors"][0]["name"] == "Gucci"
    many = stance.tag(["Gucci sued Alibaba.", "Prada praised Alibaba."], target="Alibaba")
    assert isinstance(many, list) and len(many) == 2


def test_the_model_folder_loads_by_path_and_describes_itself():
    from stance.model.network import ModelSettings, load_model

    network, tokenizer, settings = load_model(SHIPPED_MODEL)
    assert settings.labels == ["support", "oppose", "neutral"] and network.head[-1].out_features == 3
    assert settings == ModelSettings.read(SHIPPED_MODEL) and settings.temperature > 0
    nlp = stance.load(model=str(SHIPPED_MODEL), targets=["Alibaba"])
    [gucci] = [s for s in nlp("Gucci sued Alibaba over fake handbags.")._.stances if s.actor == "Gucci"]
    assert gucci.label == "oppose"

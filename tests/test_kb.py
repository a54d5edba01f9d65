import json

import pytest

from stance.errors import KBError
from stance.kb import KnowledgeBase


def test_builtin_kb_is_large_and_resolves_aliases():
    kb = KnowledgeBase.load()
    assert len(kb) >= 300
    assert kb.resolve("Ma Yun") == "Jack Ma"
    assert kb.resolve("Kaiyun Group") == kb.resolve("Gwangju Group") == "Kering"
    assert kb.get("Taobao").parent == "Alibaba"
    assert "Taobao" in kb.descendants("Alibaba")
    assert kb.ancestors("Gucci") == ["Kering"]


def test_builtin_kb_names_and_aliases_do_not_collide():
    kb = KnowledgeBase.load()
    owners = {}
    for entry in kb.entries.values():
        for surface in entry.names:
            assert owners.setdefault(surface, entry.name) == entry.name, surface


def test_user_kb_is_merged_over_the_builtin(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"name": "Veltra", "type": "ORG", "kind": "platform", "aliases": ["Veltra Group"]}) + "\n")
    kb = KnowledgeBase.load(path)
    assert kb.resolve("Veltra Group") == "Veltra"
    assert kb.resolve("Ma Yun") == "Jack Ma"


@pytest.mark.parametrize(
    "line, problem",
    [
        ("{not json", "not valid JSON"),
        ('{"name": "X Co"}', '"type"'),
        ('{"name": "", "type": "ORG"}', '"name"'),
        ('{"name": "X Co", "type": "ORG", "aliases": "XC"}', '"aliases"'),
        ("[1, 2]", "not an object"),
    ],
)
def test_malformed_kb_line_names_line_and_problem(tmp_path, line, problem):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"name": "Fine", "type": "ORG"}\n' + line + "\n")
    with pytest.raises(KBError) as error:
        KnowledgeBase.load(path)
    assert "line 2" in str(error.value) and problem in str(error.value)


def test_unknown_parent_is_an_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"name": "Brand", "type": "ORG", "parent": "Nobody Holdings"}\n')
    with pytest.raises(KBError, match="Nobody Holdings"):
        KnowledgeBase.load(path)


def test_missing_kb_file_is_an_error(tmp_path):
    with pytest.raises(KBError, match="does not exist"):
        KnowledgeBase.load(tmp_path / "nope.jsonl")

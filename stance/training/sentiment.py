"""An auxiliary training task: the sentiment of a news sentence toward a marked person (NewsMTSC).

The stance corpus is written for this project; NewsMTSC (Hamborg & Donnay, EACL 2021, MIT) is real
political news. Trained side by side through the same encoder, with its own small head, it shows the
encoder how real reporting praises and attacks a named entity. It has no source actor, so it never
trains the stance head itself, and its head is not saved with the model.

Reads the original NewsMTSC JSONL files (one sentence per line, ``sentence_normalized`` and
``targets`` with ``from``/``to``/``mention``/``polarity`` 2.0 negative, 4.0 neutral, 6.0 positive).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from ..errors import CorpusError
from ..model.network import window_row
from ..model.templates import get_template
from ..text.jsonl import numbered_lines

SENTIMENTS = ("negative", "neutral", "positive")
POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
SENTIMENT_TASK = 1  # the stance task is model.STANCE_TASK (0)


def read_newsmtsc(path: str | Path) -> list[dict]:
    """One example per (sentence, target) in a NewsMTSC file.

    Example:
        >>> import tempfile, os
        >>> line = {"sentence_normalized": "Critics slammed Smith.", "targets": [
        ...     {"from": 16, "to": 21, "mention": "Smith", "polarity": 2.0}]}
        >>> path = os.path.join(tempfile.mkdtemp(), "mtsc.jsonl")
        >>> _ = open(path, "w").write(json.dumps(line) + "\\n")
        >>> [(e["target"], e["sentiment"]) for e in read_newsmtsc(path)]
        [('Smith', 'negative')]
    """
    examples = []
    for number, row in numbered_lines(path):
        try:
            if isinstance(row, json.JSONDecodeError):
                raise row
            sentence = row["sentence_normalized"]
            for target in row["targets"]:
                start, end, mention = int(target["from"]), int(target["to"]), target["mention"]
                if sentence[start:end] != mention:
                    raise ValueError(f"characters {start}-{end} are {sentence[start:end]!r}, not {mention!r}")
                if float(target["polarity"]) not in POLARITY:
                    raise ValueError(f"polarity {target['polarity']!r} is not 2.0, 4.0 or 6.0")
                examples.append({"text": sentence, "target": mention, "span": (start, end),
                                 "sentiment": POLARITY[float(target["polarity"])]})
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise CorpusError(
                f"{path}, line {number}: {error}. Expected a NewsMTSC line: a JSON object with "
                '"sentence_normalized" and "targets" (each with "from", "to", "mention" and '
                '"polarity" 2.0, 4.0 or 6.0), as in the original NewsMTSC release.'
            ) from None
    return examples


def sentiment_rows(path: str | Path, template: str, limit: int = 0, seed: int = 0) -> list[dict]:
    """Training rows for the sentiment task, in the stance rows' format (no actor span).

    ``limit`` > 0 keeps a seeded random sample of that many, so the auxiliary task does not
    outweigh the stance corpus.
    """
    examples = read_newsmtsc(path)
    if 0 < limit < len(examples):
        examples = random.Random(seed).sample(examples, limit)
    make_window = get_template(template)
    rows = []
    for example in examples:
        window = make_window(example["text"], example["target"], [example["span"]], [[]])  # no actor: pools [CLS]
        rows.append(window_row(window, [SENTIMENTS.index(example["sentiment"])], SENTIMENT_TASK))
    return rows

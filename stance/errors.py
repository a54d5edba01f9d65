"""Error messages in one place: each says what was expected, what was found and how to fix it."""

from __future__ import annotations


class StanceError(ValueError):
    """Base class for input errors raised by the library (the CLI turns them into exit codes)."""


class KBError(StanceError):
    """A knowledge-base file is malformed."""


class CorpusError(StanceError):
    """A stance-record file is malformed."""


class ConfigError(StanceError):
    """A training config is malformed: an unknown key, a value of the wrong type or out of range."""


def unknown_train_keys(keys: list[str], path: object, known: list[str]) -> ConfigError:
    where = f" in {path}" if path else ""
    return ConfigError(
        f"Unknown training config keys{where}: {', '.join(keys)}. The keys are: {', '.join(known)} "
        "(`stance train --help` explains each). More Hugging Face TrainingArguments go under trainer_args."
    )


class ModelError(StanceError):
    """A model folder is missing or malformed."""


def kb_line(path: object, line: int, problem: str) -> KBError:
    return KBError(
        f"{path}, line {line}: {problem}. Expected one JSON object per line with at least "
        '"name" and "type" ("ORG" or "PERSON"), e.g. {"name": "Veltra", "type": "ORG", '
        '"kind": "platform", "aliases": ["Veltra Group"]}. Fix the line or remove it.'
    )


def corpus_line(path: object, line: int, problem: str) -> CorpusError:
    return CorpusError(
        f"{path}, line {line}: {problem}. Expected a stance record: a JSON object with "
        '"id", "text", "actor", "target" and "stance" (support, oppose or neutral).'
    )


def missing_model(path: object) -> ModelError:
    return ModelError(
        f"No stance model at {path}: expected a folder with stance_config.json, "
        "encoder/model.safetensors and a tokenizer (as written by `stance train`). "
        "Pass --model with a folder made by `stance train`, or omit it to use the shipped model."
    )


def unsafe_weights(path: object) -> ModelError:
    return ModelError(
        f"{path} holds pickled weights (.bin/.pt) but no .safetensors file. Model folders are "
        "untrusted input and are only loaded from safetensors; convert the weights with "
        "`safetensors.torch.save_file` and try again."
    )


class ResultsError(StanceError):
    """A results file is not the JSONL that `stance annotate` writes."""


def not_results(path: object, line: int, problem: str) -> ResultsError:
    where = f", line {line}" if line else ""
    return ResultsError(
        f"{path}{where}: {problem}: this is not a results file of `stance annotate`. Pass the JSONL it wrote "
        "(--out X.jsonl), or X.csv.records.jsonl beside a CSV or HTML output."
    )

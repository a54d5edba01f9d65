"""The docs stay true: the tutorial's commands run (on the tiny model), and the CLI page names every
command and option."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import typer
from typer.testing import CliRunner

from stance.cli import app

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "train-your-own-corpus.md"


def fenced_blocks(path: Path) -> list[tuple[str, str]]:
    """(language, code) of every fenced block; ```bash and ```python blocks are meant to be run."""
    return re.findall(r"^```(\w+)\n(.*?)^```", path.read_text(encoding="utf-8"), re.S | re.M)


def on_tiny_model(args: list[str], tiny_model: Path, tiny_encoder: Path, tmp: Path) -> list[str]:
    """The command as the test runs it: the tiny model instead of the shipped one, one short epoch."""
    args = [a.replace("models/stance-minilm", str(tiny_model)) for a in args]
    if args[0] == "train":
        return [*args, "--set", f"base_model={tiny_encoder}", "--set", "epochs=1", "--set", f"checkpoint_dir={tmp / '.cache'}"]
    if args[0] in ("annotate", "evaluate", "doc-score", "tag") and "--model" not in args:
        args += ["--model", str(tiny_model)]
    return [*args, "--quiet"] if args[0] == "annotate" else args


def test_the_tutorial_runs(tiny_model, tiny_encoder, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    runner, ran = CliRunner(), []
    for language, code in fenced_blocks(TUTORIAL):
        if language == "python":
            exec(compile(code, str(TUTORIAL), "exec"), {"__name__": "tutorial"})
            ran.append("python")
            continue
        if language != "bash":
            continue
        for line in code.replace("\\\n", " ").splitlines():  # a command continued with a backslash is one line
            args = shlex.split(line, comments=True)
            if not args:
                continue
            assert args[0] == "stance", f"the tutorial's bash blocks run stance commands only: {line}"
            args, redirect = (args[:-2], args[-1]) if len(args) > 2 and args[-2] == ">" else (args, None)
            result = runner.invoke(app, on_tiny_model(args[1:], tiny_model, tiny_encoder, tmp_path))
            assert result.exit_code == 0, f"{line}\n{result.output}"
            if redirect:
                Path(redirect).write_text(result.output, encoding="utf-8")
            ran.append(" ".join(args[1:3]))
    assert "Kasimir Brandt Veltra" in capsys.readouterr().out  # the python block printed the stances
    assert ran[:4] == ["annotate examples/own-corpus/articles", "review run/results.jsonl", "review --config",
                       "review run/results.jsonl"]
    assert {"corpus import", "corpus validate", "train --set", "evaluate my-corpus/test.jsonl",
            "doc-score my-corpus/articles/test.jsonl", "python"} <= set(ran)
    assert (tmp_path / "models" / "mine" / "head.safetensors").is_file() and (tmp_path / "run" / "mine.jsonl").is_file()


def test_the_cli_page_names_every_command_and_option():
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    sections = {s.split("\n", 1)[0].strip(): s for s in page.split("\n### stance ")[1:]}

    def commands(group, prefix):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from commands(command, [*prefix, name])
            else:
                yield " ".join([*prefix, name]), command

    fix = "run `python docs/cli_reference.py` to rewrite the reference"
    for name, command in commands(typer.main.get_command(app), []):
        assert name in sections, f"docs/cli.md has no section for `stance {name}`; {fix}"
        for option in command.params:
            if option.param_type_name == "option" and option.name != "help":
                assert f"`{option.opts[0]}`" in sections[name], f"docs/cli.md lacks `stance {name} {option.opts[0]}`; {fix}"

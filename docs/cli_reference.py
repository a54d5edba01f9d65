"""Rewrite the reference part of docs/cli.md (from its "## Reference" heading on) from the typer app.

    python docs/cli_reference.py       # after changing a command; tests/test_docs.py checks the page
"""

from __future__ import annotations

from pathlib import Path

import typer

from stance.cli import app

PAGE = Path(__file__).resolve().parent / "cli.md"
HEADING = "## Reference\n"


def commands(group, prefix=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from commands(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name)), command


def section(name: str, command) -> str:
    args = [p for p in command.params if p.param_type_name == "argument"]
    options = [p for p in command.params if p.param_type_name == "option" and p.name != "help"]

    def arg_name(p) -> str:
        name = p.metavar or p.name.upper()
        return name + ("..." if p.nargs == -1 and not name.endswith("...") else "")

    usage = " ".join([f"stance {name}", *map(arg_name, args), *(["[OPTIONS]"] if options else [])])
    lines = [f"### stance {name}", "", " ".join((command.help or "").split("\n\n")[0].split()), "",
             "```text", usage, "```", ""]
    rows = [(f"`{arg_name(p)}`", p.help or "") for p in args]
    for option in options:
        text = (option.help or "").strip()
        text = text if not text or text.endswith((".", ")")) else text + "."
        if option.required:
            text += " Required."
        elif option.default not in (None, False, [], ()) and not option.is_flag:
            text += f" Default: `{option.default}`."
        rows.append((", ".join(f"`{flag}`" for flag in option.opts), text))
    if rows:
        lines += ["| argument or option | |", "|---|---|", *(f"| {a} | {b.replace('|', '&#124;')} |" for a, b in rows), ""]
    if command.epilog:  # `stance train`: the config keys, "key (default): help" each
        title, *items = command.epilog.split("\n\n")
        lines += [title, "", "| key (default) | |", "|---|---|"]
        for item in items:
            key_and_default, _, text = item.partition(": ")
            key, _, default = key_and_default.partition(" ")
            lines.append(f"| `{key}` {default} | {text.strip().replace('|', '&#124;')} |")
        lines.append("")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    head = PAGE.read_text(encoding="utf-8").split(HEADING)[0]
    body = "".join(section(name, command) for name, command in commands(typer.main.get_command(app)))
    PAGE.write_text(head + HEADING + "\n" + body, encoding="utf-8")

"""A Griffe extension for the docs build: the house style's ``Example:`` docstring sections are read
as Google-style ``Examples:``, so that their doctest lines render as code, not as Markdown text."""

from __future__ import annotations

import re

import griffe

HEADING = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)


class ExampleSections(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = HEADING.sub(r"\1Examples:", obj.docstring.value)

"""A griffe extension that lets mkdocstrings render Ember's PyTorch-style docstrings.

Ember's docstrings follow PyTorch's order (summary, Args, Shape, Examples) in Google
style, with two habits Google-style parsing does not know: a singular ``Example:``
heading (griffe reads it as an admonition and renders the ``>>>`` lines as Markdown) and
Sphinx roles such as ``:func:`ember.zeros``` (shown literally). This extension rewrites
both in the docstring text before griffe parses it; the library's docstrings stay as
they are, and the doctests run on them unchanged.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE_HEADING = re.compile(r"^(?P<indent>[ \t]*)Examples?::?[ \t]*$", re.MULTILINE)
_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|data|attr|obj|exc|const|ref):`~?([^`]+)`")


def normalize(text: str) -> str:
    """The docstring ``text`` with ``Example:`` headings and Sphinx roles made Google/Markdown,
    and ``>>>`` blocks outside an Examples section fenced as code.

    >>> normalize("Sum.\\n\\nExample:\\n    >>> 1\\n    1")
    'Sum.\\n\\nExamples:\\n    >>> 1\\n    1'
    >>> normalize("See :func:`~ember.zeros`.")
    'See `ember.zeros`.'
    >>> normalize("Words.\\n\\n>>> [1]\\n[1]").splitlines()
    ['Words.', '', '```pycon', '>>> [1]', '[1]', '```']
    """
    text = _EXAMPLE_HEADING.sub(lambda m: f"{m.group('indent')}Examples:", text)
    text = _ROLE.sub(lambda m: f"`{m.group(1)}`", text)
    return "\n".join(_fence_bare_doctests(text.split("\n")))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _fence_bare_doctests(lines: list[str]) -> list[str]:
    out: list[str] = []
    examples_indent: int | None = None  # indent of the enclosing "Examples:" heading
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip():
            if examples_indent is not None and _indent(line) <= examples_indent:
                examples_indent = None
            if line.strip() == "Examples:":
                examples_indent = _indent(line)
        if examples_indent is None and line.lstrip().startswith(">>>"):
            pad = " " * _indent(line)
            out.append(f"{pad}```pycon")
            while i < len(lines) and lines[i].strip():
                out.append(lines[i])
                i += 1
            out.append(f"{pad}```")
            continue
        out.append(line)
        i += 1
    return out


class EmberDocstrings(griffe.Extension):
    """Normalise every docstring as soon as griffe has read it, and leave out the dunder
    attributes (``__doc__``, ``__module__``, ...) that inspecting a class finds."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = normalize(obj.docstring.value)

    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        for name in [n for n in cls.members if n.startswith("__") and n.endswith("__")]:
            cls.del_member(name)

"""The documentation runs: docstring examples, the pages' snippets, and the site build.

* ``test_docstring_examples`` -- the ``>>>`` examples of every module of ``ember`` run as
  doctests (``ember`` is in their namespace, as PyTorch's doctests get ``torch``). All
  modules run in one child process, so examples that seed the generator or change the
  default device cannot leak into other tests; each module is then one test here.
* ``test_page_doctests`` -- every page of ``docs/`` with ``>>>`` examples passes
  ``python -m doctest -o ELLIPSIS docs/<page>.md``.
* ``test_page_python_blocks`` -- the fenced ``python`` blocks of each page run, in order, in
  one namespace per page (blocks of ``>>>`` examples are left to the doctest run).
* ``test_site_builds_strict`` -- ``mkdocs build --strict`` succeeds with no warning (needs
  the ``docs`` extra).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PACKAGE = ROOT / "frontend" / "ember"

#: Modules whose docstring examples are known to fail, with the reason (strict xfails:
#: when one is fixed its test XPASSes and the line must go).
KNOWN_FAILURES: dict[str, str] = {}

#: Third-party modules an example may need that the 'test' extra does not bring.
OPTIONAL_DEPENDENCIES = ("sklearn", "matplotlib", "tqdm", "PIL")


def _module_names() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts))
    return names


MODULES = _module_names()

# Runs in a child process: doctests every module named on stdin and prints one JSON
# object {module: {"attempted", "failed", "report"} or {"import_error"}}.
_CHILD = r"""
import contextlib, doctest, importlib, io, json, sys, traceback
import ember
flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
results = {}
for name in json.load(sys.stdin):
    try:
        module = importlib.import_module(name)
    except Exception as exc:
        results[name] = {"import_error": f"{type(exc).__name__}: {exc}",
                         "missing": getattr(exc, "name", None)
                         if isinstance(exc, ModuleNotFoundError) else None,
                         "traceback": traceback.format_exc()}
        continue
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        res = doctest.testmod(module, extraglobs={"ember": ember}, optionflags=flags,
                              report=False)
    results[name] = {"attempted": res.attempted, "failed": res.failed,
                     "report": out.getvalue()}
print("\n@@RESULTS@@" + json.dumps(results))
"""


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("EMBER_DEVICE", None)  # the examples assume the default device, "cpu"
    env.setdefault("MPLBACKEND", "Agg")
    return env


@pytest.fixture(scope="module")
def docstring_results() -> dict[str, dict]:
    proc = subprocess.run([sys.executable, "-c", _CHILD], input=json.dumps(MODULES),
                          capture_output=True, text=True, cwd=ROOT, env=_child_env(),
                          timeout=900)
    marker = "\n@@RESULTS@@"
    if proc.returncode != 0 or marker not in proc.stdout:
        pytest.fail(f"the doctest child process failed (exit {proc.returncode}):\n"
                    f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}", pytrace=False)
    return json.loads(proc.stdout.rsplit(marker, 1)[1])


def _module_param(name: str):
    reason = KNOWN_FAILURES.get(name)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("module", [_module_param(m) for m in MODULES])
def test_docstring_examples(module: str, docstring_results: dict[str, dict]) -> None:
    result = docstring_results[module]
    if "import_error" in result:
        missing = (result.get("missing") or "").partition(".")[0]
        if missing in OPTIONAL_DEPENDENCIES:
            pytest.skip(f"{module} needs {missing} (the 'examples' extra)")
        pytest.fail(f"{module} does not import: {result['import_error']}\n"
                    f"{result['traceback']}", pytrace=False)
    assert result["failed"] == 0, f"{module}: docstring examples fail\n{result['report']}"


def test_docstring_examples_exist(docstring_results: dict[str, dict]) -> None:
    """The doctest run really ran examples (a broken collection would pass vacuously)."""
    attempted = sum(r.get("attempted", 0) for r in docstring_results.values())
    assert attempted > 500, f"only {attempted} docstring examples ran"
    for name in ("ember.nn", "ember.optim", "ember.backends", "ember.backend.philox"):
        assert docstring_results[name].get("attempted", 0) > 0, name


# ---------------------------------------------------------------------------- pages
PAGES = sorted(DOCS.rglob("*.md"))
DOCTEST_PAGES = [p for p in PAGES if ">>> " in p.read_text(encoding="utf-8")]
_PYTHON_BLOCK = re.compile(r"^```python[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _python_blocks(page: Path) -> list[str]:
    blocks = _PYTHON_BLOCK.findall(page.read_text(encoding="utf-8"))
    return [b for b in blocks if not b.lstrip().startswith(">>>")]


PYTHON_PAGES = [p for p in PAGES if _python_blocks(p)]


def _page_id(path: Path) -> str:
    return str(path.relative_to(DOCS))


def test_pages_have_runnable_examples() -> None:
    names = {_page_id(p) for p in DOCTEST_PAGES}
    for page in ("tour.md", "getting-started.md", "porting.md", "backend-model.md"):
        assert page in names, f"docs/{page} has no >>> examples"


@pytest.mark.parametrize("page", DOCTEST_PAGES, ids=_page_id)
def test_page_doctests(page: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "doctest", "-o", "ELLIPSIS", str(page)],
                          capture_output=True, text=True, cwd=ROOT, env=_child_env(),
                          timeout=600)
    assert proc.returncode == 0, f"{_page_id(page)}:\n{proc.stdout}\n{proc.stderr}"


@pytest.mark.parametrize("page", PYTHON_PAGES, ids=_page_id)
def test_page_python_blocks(page: Path, tmp_path: Path) -> None:
    blocks = _python_blocks(page)
    script = tmp_path / "blocks.py"
    script.write_text("\n\n".join(blocks), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=tmp_path, env=_child_env(), timeout=600)
    assert proc.returncode == 0, f"{_page_id(page)}:\n{proc.stdout}\n{proc.stderr}"


# ---------------------------------------------------------------------------- the site
def test_site_builds_strict(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="the site needs the 'docs' extra (mkdocs)")
    pytest.importorskip("mkdocstrings", reason="the site needs the 'docs' extra (mkdocstrings)")
    pytest.importorskip("material", reason="the site needs the 'docs' extra (mkdocs-material)")
    env = _child_env()
    env["NO_MKDOCS_2_WARNING"] = "1"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
         str(tmp_path / "site")], capture_output=True, text=True, cwd=ROOT, env=env,
        timeout=900)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-6000:]
    warnings = [line for line in log.splitlines() if line.startswith("WARNING")]
    assert not warnings, "\n".join(warnings)
    site = tmp_path / "site"
    for page in ("index.html", "tour/index.html", "api/ember/index.html",
                 "api/nn/index.html", "api/backend/index.html"):
        assert (site / page).is_file(), page
    ember_api = (site / "api" / "ember" / "index.html").read_text(encoding="utf-8")
    for anchor in ("ember.zeros", "ember.randn", "ember.matmul", "ember.save"):
        assert f'id="{anchor}"' in ember_api, anchor


def test_docs_extensions_doctests() -> None:
    pytest.importorskip("griffe", reason="the API reference needs the 'docs' extra (griffe)")
    proc = subprocess.run([sys.executable, "-m", "doctest", str(DOCS / "_ext" /
                                                              "griffe_ember.py")],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr

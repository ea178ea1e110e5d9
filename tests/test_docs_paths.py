"""README.md and ARCHITECTURE.md name only things that exist: every dotted ``newscrawl.`` path
imports (a module, or an attribute of one), every ``NEWSCRAWL_*`` setting has a default in
``newscrawl/settings.py`` (and every default is documented), and every repository file the
docs point at is there."""

from __future__ import annotations

import importlib
import re
from functools import cache
from pathlib import Path

import pytest

import newscrawl.settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("README.md", "ARCHITECTURE.md")
FILE_ENDINGS = ("py", "toml", "json", "jsonl", "db", "cfg", "html", "xml", "txt", "log")
ENVIRONMENT_ONLY = {"NEWSCRAWL_CONFIG": "newscrawl/config.py"}
"""``NEWSCRAWL_*`` names that are environment variables, not settings, and the module reading them."""
PACKAGE_MODULES = {
    p.stem for p in (ROOT / "newscrawl").iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()
}

_DOTTED = re.compile(r"(?<![\w./-])newscrawl(?:\.[A-Za-z_]\w*)+")
_BACKTICKED = re.compile(r"`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?:\(|`)")
_SETTING = re.compile(r"\bNEWSCRAWL_[A-Z0-9_]*[A-Z0-9]\b")
_REPO_PATH = re.compile(r"`([\w.-]+(?:/[\w.-]+)*/?)`")
_ROOTS = ("newscrawl/", "tests/", "bench/", "scripts/")


def _text(doc: str) -> str:
    return (ROOT / doc).read_text(encoding="utf-8")


def _is_file_name(dotted: str) -> bool:
    return dotted.rsplit(".", 1)[1] in FILE_ENDINGS


def dotted_paths(text: str) -> set[str]:
    """``newscrawl.a.b`` anywhere, and backticked ``a.b`` whose ``a`` is a newscrawl module
    (ARCHITECTURE.md names components relative to the package)."""
    found = {m for m in _DOTTED.findall(text) if not _is_file_name(m)}
    for name in _BACKTICKED.findall(text):
        if name.split(".")[0] in PACKAGE_MODULES and not _is_file_name(name):
            found.add(f"newscrawl.{name}")
    return found


def resolves(dotted: str) -> bool:
    """Import the longest module prefix of ``dotted``, then look the rest up as attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


@cache
def repo_paths() -> frozenset[str]:
    """Every file and directory of the repository's own trees, as POSIX paths (dirs end in /)."""
    found: set[str] = set()
    for top in ("newscrawl", "tests", "bench", "scripts"):
        for path in (ROOT / top).rglob("*"):
            if "__pycache__" in path.parts:
                continue
            rel = path.relative_to(ROOT).as_posix()
            found.add(rel + "/" if path.is_dir() else rel)
        found.add(top + "/")
    found.update(p.name for p in ROOT.iterdir() if p.is_file())
    return frozenset(found)


def _names_a_file(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    if path.startswith(_ROOTS):
        return path.endswith("/") or "." in last
    if path.startswith(("output/", ".")):
        return False
    return last.rsplit(".", 1)[-1] in FILE_ENDINGS and ("/" in path or last.endswith(".py"))


def named_files(text: str) -> set[str]:
    """Backticked repository paths: under one of our trees, any path with a slash that ends
    in a file name (ARCHITECTURE.md's are relative to the package: ``spiders/news.py``), and
    bare module file names (``candidates.py``)."""
    return {path for path in _REPO_PATH.findall(text) if _names_a_file(path)}


def _exists(path: str) -> bool:
    return path in repo_paths() or any(p.endswith("/" + path) for p in repo_paths())


@pytest.mark.parametrize("doc", DOCS)
def test_every_dotted_path_in_the_docs_imports(doc: str) -> None:
    paths = dotted_paths(_text(doc))
    assert paths, f"{doc} names no newscrawl path: the pattern is broken"
    assert sorted(p for p in paths if not resolves(p)) == []


@pytest.mark.parametrize("doc", DOCS)
def test_every_repository_file_the_docs_name_exists(doc: str) -> None:
    names = named_files(_text(doc))
    assert names
    assert sorted(p for p in names if not _exists(p)) == []


def _defaults() -> set[str]:
    return {name for name in vars(newscrawl.settings) if name.startswith("NEWSCRAWL_")}


def test_every_documented_setting_has_a_default() -> None:
    documented = {m for doc in DOCS for m in _SETTING.findall(_text(doc))}
    assert sorted(documented - _defaults() - ENVIRONMENT_ONLY.keys()) == []


def test_every_setting_is_documented_in_the_readme() -> None:
    assert sorted(_defaults() - set(_SETTING.findall(_text("README.md")))) == []


def test_documented_environment_variables_are_read() -> None:
    for name, module in ENVIRONMENT_ONLY.items():
        assert f'"{name}"' in (ROOT / module).read_text(encoding="utf-8"), name
        assert name not in _defaults()


def test_the_checks_catch_what_is_wrong() -> None:
    wrong = "newscrawl.failover.FailoverMiddleware"
    assert dotted_paths(f"see `{wrong}`") == {wrong}
    assert not resolves("newscrawl.failover.FailoverMiddleware")
    assert resolves("newscrawl.failover.middleware.FailoverMiddleware")
    assert dotted_paths("`failover.gate.Nope` and `output/newscrawl.db`") == {"newscrawl.failover.gate.Nope"}
    assert not resolves("newscrawl.failover.gate.Nope")
    assert not _exists("spiders/nope.py") and _exists("spiders/news.py")
    assert named_files("`newscrawl/stats/key` `bench/x.py` `extract/` `y.py`") == {"bench/x.py", "y.py"}
    assert not _exists("y.py") and _exists("candidates.py") and _exists("setup.py")

"""Determinism checked where it starts: a snippet rendered again in fresh processes, with another
PYTHONHASHSEED, gives the same values, data and figures byte for byte -- or ``difference`` names the
first value or file that differs. Every page's snippet is re-rendered so by the second clean build
in test_site.py (one re-run of all snippets serves both checks); here, the comparison's controls."""

from __future__ import annotations

import pytest

from sitebuild import runner
from tests.build.conftest import SNIPPET

pytestmark = pytest.mark.slow


def difference(a: runner.Result, b: runner.Result) -> str | None:
    for key in sorted(set(a.values) | set(b.values)):
        if a.values.get(key) != b.values.get(key):
            return f"values()['{key}']: {a.values.get(key)!r} then {b.values.get(key)!r}"
    for fname in sorted(set(a.manifest["sha256"]) | set(b.manifest["sha256"])):
        if a.manifest["sha256"].get(fname) != b.manifest["sha256"].get(fname):
            return f"{fname} differs"
    return None


def rerendered(name, root, tmp_path, monkeypatch, seed="12345"):
    monkeypatch.setenv("SITEBUILD_CACHE", str(tmp_path / "fresh"))
    monkeypatch.setenv("SITEBUILD_HASHSEED", seed)
    try:
        return runner.render(name, root)
    finally:
        monkeypatch.delenv("SITEBUILD_HASHSEED")


def test_unseeded_randomness_is_caught(root, tmp_path, monkeypatch):
    """Control for test_site.py::test_two_clean_builds_are_byte_identical, which re-renders every
    snippet this way: the comparison does see a snippet that draws unseeded random numbers."""
    (root / "snippets" / "r.py").write_text(
        "import numpy as np\n\n\ndef values():\n"
        "    return {'draw': float(np.random.default_rng().normal())}\n"
    )
    monkeypatch.setenv("SITEBUILD_CACHE", str(tmp_path / "one"))
    first = runner.render("r", root)
    again = rerendered("r", root, tmp_path, monkeypatch)
    assert difference(first, again).startswith("values()['draw']")
    (root / "snippets" / "s.py").write_text(SNIPPET.format(tag="steady"))
    monkeypatch.setenv("SITEBUILD_CACHE", str(tmp_path / "one"))
    assert difference(runner.render("s", root), rerendered("s", root, tmp_path, monkeypatch)) is None

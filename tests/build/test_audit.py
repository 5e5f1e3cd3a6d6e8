"""The mutation audit's mutator (tools/audit.py): what it mutates, and what it leaves alone."""

from __future__ import annotations

import ast

from tools import audit

SOURCE = '''
import numpy as np


def values():
    """A docstring is not code."""
    rng = np.random.default_rng(7)
    x = make(seed=3, n=4)
    return {"a": 2 * x + 1, "b": -x < 0.5, "c": True}


def fig_curve(fig, pal):
    fig.subplots().plot([1, 2], [3 + 4, 5])


def _panel(ax, pal):
    ax.plot([6 - 7])


def _grid(fig_size):
    return fig_size ** 2
'''


def labels(source=SOURCE):
    return sorted(m.label for m in audit.mutants(source))


def test_every_operator_number_sign_and_boolean_of_the_computations_is_mutated():
    found = labels()
    for want in (
        "line 9: values: Mult → Div",
        "line 9: values: Add → Sub",
        "line 9: values: 2 → 3",
        "line 9: values: 1 → 2",
        "line 9: values: Lt → LtE",
        "line 9: values: −x → x",
        "line 9: values: 0.5 → 0.75",
        "line 9: values: True → False",
        "line 21: _grid: Pow → Mult",
        "line 21: _grid: 2 → 3",
    ):
        assert want in found, want


def test_seeds_and_drawing_code_are_not_mutated():
    found = labels()
    assert not [f for f in found if ": 7 →" in f or ": 3 →" in f]  # default_rng(7), seed=3
    assert "line 8: values: 4 → 5" in found  # the other argument of the same call is
    assert not [f for f in found if "fig_curve" in f or "_panel" in f]  # (fig, …) and (ax, …) draw
    assert len(found) == 10 + 1


def test_each_mutant_is_the_source_with_one_change_and_still_parses():
    for m in audit.mutants(SOURCE):
        ast.parse(m.source)
        changed = [(a, b) for a, b in zip(SOURCE.splitlines(), m.source.splitlines(), strict=True) if a != b]
        assert len(changed) == 1 and changed[0][0].strip().startswith(("x =", "return"))


def test_the_published_table_is_the_recorded_results():
    """bench/audit.md, which the "How this site is built" page includes, is rendered from bench/audit.json."""
    import json

    assert audit.TABLE.read_text() == audit.table(json.loads(audit.RESULTS.read_text())) + "\n"

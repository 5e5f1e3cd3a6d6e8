"""The recorded benchmark (bench/results.json, written by `./run bench`): it exists, covers every
scenario, and its deterministic facts hold. Times are recorded and shown, never asserted."""

import json

import pytest

from sitebuild import project

RESULTS = project.ROOT / "bench" / "results.json"


@pytest.fixture(scope="module")
def bench():
    assert RESULTS.is_file(), "bench/results.json is missing: run ./run bench and commit the result"
    return json.loads(RESULTS.read_text())


def test_every_scenario_is_recorded(bench):
    rows = bench["rows"]
    chapter = bench["chapter"]
    for name in (
        "cold build (empty cache)",
        "warm rebuild, nothing changed",
        f"rebuild after editing snippets/{chapter}.py",
        "rebuild after editing snippets/conventions.py",
        "floor: plain MkDocs, figures pre-rendered",
        "pytest without the browser tests (warm cache, two workers as in ./run test)",
    ):
        assert name in rows and rows[name]["seconds"] > 0, name
    assert bench["extra"]["quick"]["seconds"] > 0 and bench["extra"]["quick"]["tests"] > 0
    assert set(bench["comparison"]) == {"this pipeline", "mkdocs-jupyter, executed notebook"}
    assert bench["machine"]["cores"] >= 1


def test_an_edited_snippet_reran_alone(bench):
    chapter = bench["chapter"]
    assert bench["rows"][f"rebuild after editing snippets/{chapter}.py"]["executed_names"] == [chapter]


def test_an_edited_helper_reran_exactly_its_dependants(bench):
    row = bench["rows"]["rebuild after editing snippets/conventions.py"]
    assert row["executed_names"] == row["expected_names"] and row["expected_names"]


def test_the_cold_build_ran_every_snippet(bench):
    """Every snippet the project had when the benchmark ran (a page added since needs no new run)."""
    assert bench["rows"]["cold build (empty cache)"]["executed"] == len(bench["snippets"])


def test_the_file_is_in_its_one_stable_format_and_its_tables_are_current(bench):
    """Sorted keys, as `./run bench` writes it; bench/results.md is rendered from it."""
    from tools import bench as tool

    assert RESULTS.read_text() == json.dumps(bench, indent=1, sort_keys=True) + "\n"
    assert tool.TABLES.read_text() == tool.tables(bench) + "\n", "bench/results.md is stale"


def test_the_quick_row_times_what_run_quick_runs():
    from tools import bench as tool

    run = (project.ROOT / "run").read_text()
    quoted = " ".join(f'"{a}"' if " " in a else a for a in tool.QUICK)
    assert f'-m pytest {quoted} "$@"' in run, "./run quick and tools/bench.py QUICK disagree"

"""A ✓ only from a pass on these inputs (sitebuild/evidence.py): each way a claim can lack a current
pass -- failing, skipped, xfailed, not collected, run on other inputs -- is injected, and the
release build refuses it, naming the claim, its page and line, and the test."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sitebuild import evidence
from tests.build.conftest import mkdocs_build
from tests.build.test_faults import GOOD_PAGE, GOOD_SNIPPET, project_with

PAGE = GOOD_PAGE + "\nThe answer is even.{{ claim demo.even }}\n"
TEST = """import pytest

from snippets import demo


@pytest.mark.claim("demo.fig_dots")
def test_dots():
    assert demo.values()["answer"] == 42


{decorator}
@pytest.mark.claim("demo.even")
def {name}():
    assert {condition}
"""


def write_test(root, condition="demo.values()['answer'] % 2 == 0", decorator="", name="test_even"):
    (root / "tests" / "test_demo.py").write_text(
        TEST.format(condition=condition, decorator=decorator, name=name)
    )


def run_pytest(root):
    env = {**os.environ, "SITEBUILD_CACHE": str(root / ".cache")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_demo.py"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def release_build(root, release=True):
    env = {"SITEBUILD_CACHE": str(root / ".cache"), "SITEBUILD_RELEASE": "1" if release else "0"}
    result = mkdocs_build(root, root / "site", env=env, timeout=300)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def root(tmp_path):
    root = project_with(tmp_path, GOOD_SNIPPET, PAGE)
    write_test(root)
    return root


# --- the ledger's logic, on records written by hand ------------------------------------------------


def test_status_needs_a_current_pass_of_every_test(root, monkeypatch):
    monkeypatch.chdir(root)
    tid = "tests/test_demo.py::test_even"
    key = evidence.inputs_key("tests/test_demo.py", root)
    passed = {"outcome": "passed", "inputs": key}
    assert evidence.status([tid], {tid: passed}, root) == (True, "passed")
    assert evidence.status([tid], {f"{tid}[1]": passed, f"{tid}[2]": passed}, root)[0]  # parametrised
    cases = {
        "did not run": {},
        "failed": {tid: {**passed, "outcome": "failed"}},
        "skipped": {tid: {**passed, "outcome": "skipped"}},
        "xfailed": {tid: {**passed, "outcome": "xfailed"}},
        "other inputs": {tid: {**passed, "inputs": "0" * 24}},
        "one parameter failed": {f"{tid}[1]": passed, f"{tid}[2]": {**passed, "outcome": "failed"}},
    }
    for case, records in cases.items():
        ok, why = evidence.status([tid], records, root)
        assert not ok and tid in why, (case, why)
    assert evidence.status([], {}, root) == (False, "no test carries its marker")


def test_inputs_key_follows_the_test_module_and_what_it_imports(root):
    """In one process too (``./run serve`` rebuilds in one): an edit made after a first key is
    seen, so a test that passed before the edit no longer gives its claim a ✓."""
    before = evidence.inputs_key("tests/test_demo.py", root)
    (root / "snippets" / "demo.py").write_text(GOOD_SNIPPET + "\n# an edit\n")
    assert evidence.inputs_key("tests/test_demo.py", root) != before
    edited = evidence.inputs_key("tests/test_demo.py", root)
    (root / "tests" / "test_demo.py").write_text((root / "tests" / "test_demo.py").read_text() + "\n# edit\n")
    assert evidence.inputs_key("tests/test_demo.py", root) != edited


def test_inputs_key_follows_the_worker_that_computes_the_values(root, tmp_path, monkeypatch):
    """The values a claim test reads (sitebuild.snippet_values) are the worker's output: an edit to
    sitebuild/worker.py re-renders them, so it takes the ✓ too."""
    worker = tmp_path / "worker.py"
    worker.write_bytes(evidence.WORKER.read_bytes())
    monkeypatch.setattr(evidence, "WORKER", worker)
    before = evidence.inputs_key("tests/test_demo.py", root)
    worker.write_bytes(worker.read_bytes() + b"\n# an edit\n")
    assert evidence.inputs_key("tests/test_demo.py", root) != before


def test_inputs_key_follows_the_test_helpers_it_imports(root):
    """A shared check another test module provides (tests/test_l1_vs_l2.py imports
    check_page_wording from tests/test_l2_penalty.py) is an input too: editing it takes the ✓."""
    (root / "tests" / "test_helper.py").write_text("def check(x):\n    return x == 42\n")
    test = root / "tests" / "test_demo.py"
    test.write_text("from tests.test_helper import check\n" + test.read_text())
    before = evidence.inputs_key("tests/test_demo.py", root)
    (root / "tests" / "test_helper.py").write_text("def check(x):\n    return True\n")
    assert evidence.inputs_key("tests/test_demo.py", root) != before
    edited = evidence.inputs_key("tests/test_demo.py", root)
    (root / "tests" / "test_unrelated.py").write_text("X = 1\n")  # not imported: not an input
    assert evidence.inputs_key("tests/test_demo.py", root) == edited


def test_a_claim_is_checked_by_its_tests_own_records_only(root):
    """status() finds a test's records by id, parametrised and in classes, and no other test's."""
    key = evidence.inputs_key("tests/test_demo.py", root)
    passed, failed = {"outcome": "passed", "inputs": key}, {"outcome": "failed", "inputs": key}
    records = {
        "tests/test_demo.py::test_a[1]": passed,
        "tests/test_demo.py::test_a[2]": passed,
        "tests/test_demo.py::test_ab": failed,  # a longer name, not a parameter of test_a
        "tests/test_demo.py::TestB::test_c": passed,
    }
    assert evidence.status(["tests/test_demo.py::test_a"], records, root) == (True, "passed")
    assert evidence.status(["tests/test_demo.py::TestB"], records, root) == (True, "passed")
    records["tests/test_demo.py::test_a[3]"] = failed
    assert evidence.status(["tests/test_demo.py::test_a"], records, root) == (
        False,
        "tests/test_demo.py::test_a[3] failed",
    )
    assert evidence.status(["tests/test_demo.py::test_b"], records, root)[0] is False  # never ran


# --- end to end: pytest records, the build reads -----------------------------------------------------


@pytest.mark.slow
def test_a_pass_gives_a_check_mark_and_the_release_build_passes(root):
    assert run_pytest(root).returncode == 0
    code, log = release_build(root)
    assert code == 0, log
    html = (root / "site" / "demo" / "index.html").read_text()
    assert "✓" in html and "not yet checked" not in html


@pytest.mark.slow
def test_a_failing_claim_test_fails_the_release_build_naming_it(root):
    write_test(root, condition="demo.values()['answer'] % 2 == 1")
    assert run_pytest(root).returncode != 0
    code, log = release_build(root)
    assert code != 0
    assert "claim 'demo.even'" in log and "docs/demo.md:7" in log and "test_even failed" in log
    code, log = release_build(root, release=False)  # a build for reading shows it, unchecked
    assert code == 0, log
    assert "not yet checked" in (root / "site" / "demo" / "index.html").read_text()


@pytest.mark.slow
@pytest.mark.parametrize(
    "mark", ["@pytest.mark.skip", "@pytest.mark.xfail", "@pytest.mark.skipif(True, reason='x')"]
)
def test_skip_or_xfail_on_a_claim_test_is_refused(root, mark):
    write_test(root, decorator=mark)
    result = run_pytest(root)
    assert result.returncode != 0
    assert (
        "claim tests must run" in result.stdout + result.stderr
        and "demo.even" in result.stdout + result.stderr
    )


@pytest.mark.slow
def test_a_skip_inside_the_test_leaves_the_claim_unchecked(root):
    (root / "tests" / "test_demo.py").write_text(
        TEST.format(condition="True", decorator="", name="test_even").replace(
            "    assert True", "    pytest.skip('not today')"
        )
    )
    run_pytest(root)
    code, log = release_build(root)
    assert code != 0 and "claim 'demo.even'" in log and "skipped" in log


@pytest.mark.slow
def test_an_uncollected_claim_test_fails_the_release_build(root):
    write_test(root, name="check_even")  # pytest does not collect it
    assert run_pytest(root).returncode == 0
    code, log = release_build(root)
    assert code != 0 and "check_even did not run" in log


@pytest.mark.slow
def test_a_pass_on_other_inputs_does_not_count(root):
    assert run_pytest(root).returncode == 0
    (root / "snippets" / "demo.py").write_text(GOOD_SNIPPET + "\n# edited after the tests ran\n")
    code, log = release_build(root)
    assert code != 0 and "passed on other inputs" in log

"""Checks of the GitHub Actions workflows in .github/workflows, all offline.

Two tools from PyPI, run from this environment's own bin directory (the one holding sys.executable):

- zizmor, with ``--offline`` so that no audit reaches the network, in its *pedantic* persona, and the gate
  is zero findings of any severity. The workflows are clean even for the pedantic persona today, so any
  finding is news worth a look. A finding judged harmless is silenced in the workflow itself with a
  ``# zizmor: ignore[<audit>]`` comment giving the reason, where a reviewer sees it. The online audits
  (impostor commits, known-vulnerable action versions, tags that moved) cannot run here; the pins they
  would check are justified in the comments beside them and tested for form below.
- check-jsonschema, against the GitHub workflow schema it bundles (``vendor.github-workflows``).

Then structural rules of this project, read with PyYAML: no pull_request_target or workflow_run trigger;
every action an official ``actions/*`` action pinned to a 40-hex commit SHA with its release tag in a
comment (or, where no SHA could be verified, a major tag with a comment saying so, which zizmor also
needs: ``@v7 # zizmor: ignore[unpinned-uses] no SHA could be verified``); restrictive top-level
permissions and per-job permissions; the Pages deployment alone may write, only pages and id-token, one
deployment at a time.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
SITE_WORKFLOW = WORKFLOWS / "site.yml"
BIN = Path(sys.executable).parent

SHA_PIN = re.compile(r"^actions/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$")
MAJOR_TAG = re.compile(r"^actions/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_./-]+)?@v\d+$")
VERSION_COMMENT = re.compile(r"#\s*v\d+\.\d+\.\d+\b")
DANGEROUS_TRIGGERS = {"pull_request_target", "workflow_run"}
DEPLOY_PERMISSIONS = {"pages": "write", "id-token": "write"}


def _tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} is not installed in {BIN}: pip install -r requirements.txt"
    return str(path)


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)


def _load(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict), f"{path.name}: not a mapping"
    return doc


def _triggers(doc: dict) -> set[str]:
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    on = doc.get("on", doc.get(True))
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return set(on)
    if isinstance(on, dict):
        return set(on)
    raise AssertionError(f"unreadable `on:` {on!r}")


def _steps(doc: dict):
    for job_id, job in doc.get("jobs", {}).items():
        for step in job.get("steps", []) or []:
            yield job_id, step


def _uses_lines(path: Path) -> list[tuple[str, str]]:
    """(reference, whole line) for every `uses:` in the file, read from the text to see the comments."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*(?:-\s+)?uses:\s*['\"]?([^'\"\s#]+)", line)
        if m:
            found.append((m.group(1), line))
    return found


def _steps_using(job: dict, action: str) -> list[dict]:
    return [s for s in job.get("steps", []) or [] if str(s.get("uses", "")).startswith(f"{action}@")]


def _deploy_jobs(doc: dict) -> dict[str, dict]:
    return {
        job_id: job
        for job_id, job in doc.get("jobs", {}).items()
        if _steps_using(job, "actions/deploy-pages")
    }


def test_there_are_workflows():
    assert SITE_WORKFLOW in WORKFLOW_FILES


# -- the two tools ------------------------------------------------------------------------------------


def test_zizmor_offline_finds_nothing():
    proc = _run(
        [
            _tool("zizmor"),
            "--offline",
            "--persona=pedantic",
            "--strict-collection",
            "--format=json",
            "--no-progress",
            # Each file by name, so that none can be skipped by input collection (.gitignore rules).
            *(str(p) for p in WORKFLOW_FILES),
        ]
    )
    assert proc.stdout.strip(), f"zizmor printed nothing (exit {proc.returncode}):\n{proc.stderr}"
    findings = json.loads(proc.stdout)
    summary = [
        f"{f['ident']} ({f['determinations']['severity']}): {f['desc']} at "
        + ", ".join(
            f"{Path(next(iter(loc['symbolic']['key'].values()))['verbatim_path']).name}"
            f":{loc['concrete']['location']['start_point']['row'] + 1}"
            for loc in f["locations"]
        )
        for f in findings
    ]
    assert findings == [], "zizmor findings:\n" + "\n".join(summary)
    assert proc.returncode == 0, proc.stderr


def test_zizmor_offline_would_catch_a_bad_workflow(tmp_path):
    """The gate above is not vacuous: the same invocation flags a workflow with the usual mistakes."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: pull_request_target\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          ref: ${{ github.event.pull_request.head.sha }}\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
        encoding="utf-8",
    )
    proc = _run([_tool("zizmor"), "--offline", "--persona=pedantic", "--format=json", str(bad.parent)])
    idents = {f["ident"] for f in json.loads(proc.stdout)}
    assert {"dangerous-triggers", "unpinned-uses", "template-injection", "excessive-permissions"} <= idents
    assert proc.returncode != 0


def test_workflows_match_the_github_workflow_schema():
    files = [str(p) for p in WORKFLOW_FILES]
    proc = _run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_schema_check_would_catch_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\npermissions: lots\njobs:\n  build:\n    steps:\n      - run: true\n", encoding="utf-8"
    )
    proc = _run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(bad)])
    assert proc.returncode != 0, proc.stdout


# -- structural rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_privileged_triggers(path):
    triggers = _triggers(_load(path))
    assert not triggers & DANGEROUS_TRIGGERS, f"{path.name} uses {triggers & DANGEROUS_TRIGGERS}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_official_and_pinned(path):
    uses = _uses_lines(path)
    assert uses, f"{path.name}: no `uses:` found"
    parsed = {str(step["uses"]) for _, step in _steps(_load(path)) if "uses" in step}
    parsed |= {str(job["uses"]) for job in _load(path).get("jobs", {}).values() if "uses" in job}
    assert parsed == {ref for ref, _ in uses}, "the text scan and the YAML disagree on the `uses:` lines"
    for ref, line in uses:
        if SHA_PIN.match(ref):
            assert VERSION_COMMENT.search(line), f"SHA pin without its tag in a comment: {line.strip()}"
        elif MAJOR_TAG.match(ref):
            comment = line.partition("#")[2]
            assert "SHA" in comment, f"major tag without a comment saying why no SHA: {line.strip()}"
        else:
            raise AssertionError(f"not an official actions/* action pinned to a commit SHA: {line.strip()}")


def test_each_action_is_pinned_to_one_commit_across_workflows():
    pins: dict[str, set[str]] = {}
    for path in WORKFLOW_FILES:
        for ref, line in _uses_lines(path):
            action, _, rev = ref.partition("@")
            tag = VERSION_COMMENT.search(line)
            pins.setdefault(action, set()).add(f"{rev} {tag.group(0) if tag else ''}".strip())
    assert {a: p for a, p in pins.items() if len(p) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_top_level_permissions_are_restrictive(path):
    doc = _load(path)
    assert "permissions" in doc, f"{path.name}: no top-level permissions (the default token may write)"
    top = doc["permissions"]
    assert isinstance(top, dict), f"{path.name}: top-level permissions {top!r}, want {{}} or read scopes"
    assert all(v in ("read", "none") for v in top.values()), f"{path.name}: top-level {top}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_jobs_declare_least_privilege(path):
    doc = _load(path)
    deploy = _deploy_jobs(doc)
    for job_id, job in doc["jobs"].items():
        perms = job.get("permissions")
        assert isinstance(perms, dict), f"{path.name}: job {job_id} declares no permissions of its own"
        if job_id in deploy:
            assert perms == DEPLOY_PERMISSIONS, f"{path.name}: deploy job {job_id} has {perms}"
        else:
            writes = {k: v for k, v in perms.items() if v not in ("read", "none")}
            assert writes == {}, f"{path.name}: job {job_id} may write: {writes}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkouts_do_not_persist_credentials(path):
    for job_id, step in _steps(_load(path)):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            persist = (step.get("with") or {}).get("persist-credentials")
            assert persist in (False, "false"), f"{path.name}: checkout in {job_id} keeps the token"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_expressions_inside_run_scripts(path):
    """Values reach scripts through `env:`, never pasted into the shell text (template injection)."""
    for job_id, step in _steps(_load(path)):
        assert "${{" not in str(step.get("run", "")), f"{path.name}: expression in a script in {job_id}"


def test_site_workflow_tests_pull_requests_and_deploys_main():
    doc = _load(SITE_WORKFLOW)
    on = doc.get("on", doc.get(True))
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]

    test_job = doc["jobs"]["test"]
    runs = [str(step.get("run", "")).strip() for step in test_job["steps"]]
    # ./run pdf makes the release build (which needs the tests' current passes) and the PDF
    assert "./run test" in runs and "./run pdf" in runs
    assert runs.index("./run test") < runs.index("./run pdf")
    preview = _steps_using(test_job, "actions/upload-artifact")
    assert len(preview) == 1
    assert preview[0]["with"]["path"].rstrip("/") == "site"
    assert preview[0]["if"] == "github.event_name == 'pull_request'"
    pages = _steps_using(test_job, "actions/upload-pages-artifact")
    assert len(pages) == 1
    assert pages[0]["with"]["path"].rstrip("/") == "site"
    assert "refs/heads/main" in pages[0]["if"] and "!= 'pull_request'" in pages[0]["if"]


def test_site_deploys_one_at_a_time_from_main_only():
    doc = _load(SITE_WORKFLOW)
    deploy = _deploy_jobs(doc)
    assert list(deploy) == ["deploy"]
    job = deploy["deploy"]
    assert job["needs"] == "test"
    assert "refs/heads/main" in job["if"] and "!= 'pull_request'" in job["if"]
    assert job["environment"]["name"] == "github-pages"
    assert "steps.deployment.outputs.page_url" in job["environment"]["url"]
    assert job["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert [s["id"] for s in _steps_using(job, "actions/deploy-pages")] == ["deployment"]

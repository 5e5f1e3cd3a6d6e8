"""Faults injected at the runner level, on a tiny project: each is caught with the culprit and the
cause in the first lines of the message, or is harmless; a failed run never costs a good entry."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from sitebuild import cache, jupyter, runner, shortcodes
from tests.build.conftest import SNIPPET

GOOD = SNIPPET.format(tag="good")


def first_lines(exc: BaseException, n: int = 5) -> str:
    return "\n".join(str(exc).splitlines()[:n])


def write(root, name: str, body: str) -> None:
    (root / "snippets" / f"{name}.py").write_text(textwrap.dedent(body))


def failing(root, name, body, **kw) -> str:
    write(root, name, body)
    with pytest.raises(runner.SnippetError) as err:
        runner.render(name, root, **kw)
    return first_lines(err.value)


def no_run_folders(root) -> bool:
    return not list((runner.cache_dir(root)).glob("*/.run-*"))


def test_exit_inside_values_is_named_and_keeps_the_good_entry(root):
    write(root, "s", GOOD)
    good = runner.render("s", root)
    for body, said in (
        ("import os\ndef values():\n    os._exit(0)\n", "exited early (status 0)"),
        ("import sys\ndef values():\n    sys.exit(0)\n", "called sys.exit(0)"),
    ):
        message = failing(root, "s", body)
        assert "snippet 's'" in message and said in message, message
        assert no_run_folders(root)
    write(root, "s", GOOD)  # back to the good source: its entry is still there, intact
    again = runner.render("s", root)
    assert not again.executed and again.values == good.values == {"tag": "good"}


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("import os\ndef values():\n    os.abort()\n", "SIGABRT"),
        ("import os, signal\ndef values():\n    os.kill(os.getpid(), signal.SIGKILL)\n", "out of memory"),
        ("import ctypes\ndef values():\n    ctypes.string_at(0)\n", "SIGSEGV"),
    ],
)
def test_a_worker_killed_by_a_signal_names_it(root, body, said):
    message = failing(root, "s", body)
    assert "snippet 's'" in message.splitlines()[0] and said in message.splitlines()[0], message


def test_a_flood_of_output_keeps_the_cause_first_and_the_tail(root):
    body = "import sys\ndef values():\n    sys.stderr.write('noise\\n' * 3_000_000)\n    1 / 0\n"
    write(root, "s", body)
    with pytest.raises(runner.SnippetError) as err:
        runner.render("s", root)
    text = str(err.value)
    assert "snippet 's'" in text.splitlines()[0] and "ZeroDivisionError" in text.splitlines()[0]
    assert len(text) < 20_000 and "earlier lines cut" in text


def test_nan_in_data_names_the_function(root):
    message = failing(root, "s", "def data_sweep():\n    return {'y': float('nan')}\n")
    assert "data_sweep()" in message and "snippets/s.py" in message


@pytest.mark.parametrize("value", ["float('nan')", "float('inf')"])
def test_nan_or_inf_in_values_is_named(root, value):
    message = failing(root, "s", f"def values():\n    return {{'v': {value}}}\n")
    assert "values()['v']" in message and "not a finite number" in message


def test_a_missing_import_is_named(root):
    message = failing(root, "s", "import no_such_module\ndef values():\n    return {}\n")
    assert "snippet 's'" in message and "no_such_module" in message


def test_a_syntax_error_is_one_short_message(root):
    write(root, "s", "def values(:\n    return {}\n")
    with pytest.raises(runner.SnippetError) as err:
        runner.render("s", root)
    assert str(err.value).startswith("snippets/s.py:1: syntax error")
    assert len(str(err.value).splitlines()) <= 2


def test_reading_a_data_file_fails_naming_the_path(root):
    (root / "data.csv").write_text("1,2\n")
    path = str(root / "data.csv")
    body = f"from pathlib import Path\ndef values():\n    return {{'n': len(Path({path!r}).read_text())}}\n"
    message = failing(root, "s", body)
    assert "snippets/s.py reads" in message and "data.csv" in message


def test_a_truncated_manifest_or_figure_in_the_cache_is_rerun_not_served(root):
    write(
        root,
        "f",
        "def values():\n    return {'a': 1}\n\n"
        "def fig_dot(fig, pal):\n    fig.subplots().plot([0], [0], 'o')\n",
    )
    first = runner.render("f", root)
    svg = first.folder / "dot.light.svg"
    svg.write_text(svg.read_text()[:100])
    again = runner.render("f", root)
    assert again.executed and (again.folder / "dot.light.svg").read_text().rstrip().endswith("</svg>")
    (again.folder / "manifest.json").write_text('{"snippet": "f", "val')
    third = runner.render("f", root)
    assert third.executed and third.values == {"a": 1}
    manifest = third.folder / "manifest.json"  # a damaged value that still parses
    manifest.write_text(manifest.read_text().replace('"a": 1', '"a": 7'))
    fourth = runner.render("f", root)
    assert fourth.executed and fourth.values == {"a": 1}


def test_a_damaged_text_memo_is_recomputed(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEBUILD_CACHE", str(tmp_path))
    assert cache.text("code", ["in"], lambda: "the whole page") == "the whole page"
    (memo,) = (tmp_path / "text" / "code").iterdir()
    memo.write_text(memo.read_text()[:-5])
    assert cache.text("code", ["in"], lambda: "the whole page") == "the whole page"


def test_a_damaged_notebook_cache_entry_is_dropped(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEBUILD_CACHE", str(tmp_path))
    folder = tmp_path / "jupyter" / "executed"
    folder.mkdir(parents=True)
    (folder / "good.json").write_text(json.dumps({"content": "<p>x</p>", "toc_tokens": []}))
    (folder / "bad.json").write_text('{"content": "<p>x')
    config = {"plugins": {"mkdocs-jupyter": type("Plugin", (), {"config": {}})()}}
    jupyter.configure(config)
    assert sorted(p.name for p in folder.iterdir()) == ["good.json"]


def test_another_checkouts_recent_entry_is_not_removed(root):
    write(root, "s", GOOD)
    other = runner.render("s", root).folder  # as if another checkout with this source used it just now
    write(root, "s", SNIPPET.format(tag="edited"))
    runner.render("s", root)
    assert other.is_dir()


def test_the_key_is_that_of_the_bytes_that_ran(root):
    """An edit while the snippet runs cannot end up under the old key."""
    slow = "import time\ndef values():\n    time.sleep(3)\n    return {'tag': 'first'}\n"
    write(root, "s", slow)
    key = runner.cache_key("s", root)

    def edit():
        time.sleep(1.0)
        write(root, "s", slow.replace("first", "second"))

    editor = threading.Thread(target=edit)
    editor.start()
    result = runner.render("s", root)
    editor.join()
    assert result.folder.name == key and result.values == {"tag": "first"}
    assert runner.render("s", root).values == {"tag": "second"}
    write(root, "s", slow)  # undo: the first key's entry holds the first source's output
    undone = runner.render("s", root)
    assert not undone.executed and undone.values == {"tag": "first"}


def test_a_child_holding_the_output_open_does_not_stall_the_run(root):
    body = (
        "import subprocess, sys\ndef values():\n"
        "    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])\n"
        "    return {'ok': 1}\n"
    )
    write(root, "s", body)
    start = time.monotonic()
    assert runner.render("s", root, timeout=60).values == {"ok": 1}
    assert time.monotonic() - start < 60  # it finished; it was not reported as timed out


def test_a_cache_that_cannot_be_written_is_named(root, monkeypatch):
    blocker = root / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("SITEBUILD_CACHE", str(blocker / "cache"))
    write(root, "s", GOOD)
    with pytest.raises(runner.SnippetError) as err:
        runner.render("s", root)
    assert "cannot write the cache" in str(err.value) and "SITEBUILD_CACHE" in str(err.value)


def _driver(root, names, timeout=600) -> subprocess.Popen:
    code = (
        "from pathlib import Path; from sitebuild import runner; "
        f"runner.render_all({names!r}, root=Path({str(root)!r}), jobs=2, timeout={timeout})"
    )
    env = {**os.environ, "SITEBUILD_CACHE": str(root / ".cache")}
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stderr=subprocess.DEVNULL,  # never a full pipe that blocks the driver
        start_new_session=True,
        preexec_fn=_ctrl_c_as_from_a_terminal,
    )


def _ctrl_c_as_from_a_terminal():
    """SIGINT at its default, as a shell leaves it: a test worker may have inherited it ignored, and
    an ignored SIGINT would be inherited by the driver, whose Python would then never see Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _workers_of(root) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-f", f"sitebuild.worker .* {root}"], capture_output=True, text=True
    ).stdout
    return [int(p) for p in out.split()]


HANG = "import time\ndef values():\n    time.sleep(600)\n    return {}\n"


@pytest.mark.slow
def test_ctrl_c_stops_every_worker_and_exits_non_zero(root):
    for name in ("h1", "h2", "h3"):
        write(root, name, HANG)
    driver = _driver(root, ["h1", "h2", "h3"])
    for _ in range(300):
        if len(_workers_of(root)) >= 2:
            break
        time.sleep(0.1)
    assert len(_workers_of(root)) >= 2, "the workers did not start"
    driver.send_signal(signal.SIGINT)
    assert driver.wait(timeout=120) != 0
    time.sleep(1)
    assert _workers_of(root) == []


def test_a_ctrl_c_handed_to_a_worker_thread_still_stops_the_build(root, monkeypatch):
    """The kernel may deliver a Ctrl-C to any thread of the build. Sent here to a worker thread
    (blocked waiting for its snippet), it must still stop the build at once: the main thread used to
    sleep in fut.result() until the snippet ended."""
    from sitebuild import runner

    slow = "import time\ndef values():\n    time.sleep(40)\n    return {}\n"
    for name in ("h1", "h2"):
        write(root, name, slow)
    monkeypatch.setenv("SITEBUILD_CACHE", str(root / ".cache"))

    def interrupt_a_worker_thread():
        for _ in range(300):
            if len(_workers_of(root)) >= 2:
                break
            time.sleep(0.1)
        pool = [t for t in threading.enumerate() if t.name.startswith("ThreadPoolExecutor")]
        signal.pthread_kill(pool[0].ident, signal.SIGINT)

    # Ctrl-C raising KeyboardInterrupt, as in a terminal (a test worker may have SIGINT ignored)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Thread(target=interrupt_a_worker_thread, daemon=True).start()
        start = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            runner.render_all(["h1", "h2"], root=root, jobs=2, timeout=600)
        assert time.monotonic() - start < 30, "the build waited for its snippets"
    finally:
        signal.signal(signal.SIGINT, previous)
    time.sleep(1)
    assert _workers_of(root) == []


def test_a_worker_started_as_the_build_is_stopped_is_killed_too(root, monkeypatch):
    """The race behind a Ctrl-C that once hung for minutes under load: stop() ran after a worker's
    process had started but before it was listed as running, so nothing killed it."""
    import subprocess

    write(root, "h1", HANG)
    monkeypatch.setenv("SITEBUILD_CACHE", str(root / ".cache"))
    real = subprocess.Popen

    def popen_then_stop(cmd, *args, **kwargs):
        proc = real(cmd, *args, **kwargs)
        if "sitebuild.worker" in cmd:  # a snippet's worker (not the pgrep of _workers_of)
            runner.stop()  # Ctrl-C lands right here
        return proc

    monkeypatch.setattr(runner.subprocess, "Popen", popen_then_stop)
    started = time.monotonic()
    try:
        with pytest.raises(runner.SnippetError, match="interrupted"):
            runner.render_all(["h1"], root=root, jobs=1, timeout=60)
    finally:
        runner._STOP.clear()  # this process goes on rendering (other tests), unlike a stopped build
    assert time.monotonic() - started < 30, "the hanging worker was waited for, not killed"
    assert _workers_of(root) == []


@pytest.mark.slow
def test_what_a_killed_build_leaves_behind_is_cleaned_up(root, monkeypatch):
    write(root, "h1", HANG)
    driver = _driver(root, ["h1"])
    for _ in range(300):
        if _workers_of(root):
            break
        time.sleep(0.1)
    assert _workers_of(root), "the worker did not start"
    driver.kill()  # SIGKILL the build alone, as the OOM killer would
    driver.wait()
    for _ in range(100):  # the worker dies with its build (PR_SET_PDEATHSIG)
        if not _workers_of(root):
            break
        time.sleep(0.1)
    assert _workers_of(root) == []
    left = root / ".cache" / "snippets" / "h1"
    assert list(left.glob(".run-*")), "the killed build left its run folder (what this test cleans up)"
    monkeypatch.setenv("SITEBUILD_CACHE", str(root / ".cache"))
    write(root, "h1", GOOD)
    runner.render("h1", root)
    assert not list(left.glob(".run-*"))


# --- shortcodes ----------------------------------------------------------------------------------

CTX = shortcodes.Context(values={"faq": {"depth": 3}}, figures={"faq": ["dots"]}, sources={}, tests={})


@pytest.mark.parametrize(
    "page",
    ["Depth {{ faq.depth }, said once.", "Width { { faq.depth } }.", "Depth {{ faq.depth } and more\n\ntext"],
)
def test_a_broken_shortcode_is_named(page):
    with pytest.raises(shortcodes.ShortcodeError, match=r"docs/faq.md:1: a broken shortcode"):
        shortcodes.expand(page, "faq.md", CTX)


def test_a_broken_shortcode_hides_no_later_fault():
    page = "Depth {{ faq.depth }.\n\nLater {{ faq.nothing }}.\n"
    with pytest.raises(shortcodes.ShortcodeError) as err:
        shortcodes.expand(page, "faq.md", CTX)
    assert "faq.md:1: a broken shortcode" in str(err.value) and "faq.md:3: unknown value" in str(err.value)


def test_the_same_figure_twice_is_refused():
    fig = '![Three dots in a row on the plot](fig:dots "Dots.")\n'
    with pytest.raises(shortcodes.ShortcodeError, match="shown twice"):
        shortcodes.expand(fig + "\n" + fig, "faq.md", CTX)


def test_a_figure_needs_alt_text():
    with pytest.raises(shortcodes.ShortcodeError, match="needs real alt text"):
        shortcodes.expand('![](fig:dots "Dots.")\n', "faq.md", CTX)


def test_a_figure_needs_a_caption():
    with pytest.raises(shortcodes.ShortcodeError, match="needs a caption"):
        shortcodes.expand("![A scatter of dots on a grid, as drawn](fig:dots)\n", "faq.md", CTX)


def test_snapshot_run_folder_is_the_workers_cwd(root):
    """A snippet that opens a relative path finds nothing of the project there."""
    message = failing(root, "s", "def values():\n    return {'n': len(open('docs/index.md').read())}\n")
    assert "snippet 's'" in message

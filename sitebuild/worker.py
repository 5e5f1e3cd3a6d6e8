"""Runs ONE snippet in a fresh process: draws its figures for every palette, writes its values.

Usage: python -m sitebuild.worker <snippet name> <output folder>

Writes into the output folder ``<figure>.<palette>.svg`` for every ``fig_<figure>`` function,
``<name>.json`` for every ``data_<name>`` function, and ``manifest.json`` with the values and the
list of files. On any error it prints the traceback, names the snippet and function, and exits 1.
"""

from __future__ import annotations

import importlib
import inspect
import io
import json
import math
import re
import sys
import traceback
from pathlib import Path

PATH_DATA = re.compile(r'( d=")([^"]*)(")')
DECIMALS = re.compile(r"(\d+\.\d\d)\d+")


def compact_svg(svg: str) -> str:
    """Round path coordinates to 0.01 pt (matplotlib writes six decimals): a third smaller files,
    no visible change."""
    return PATH_DATA.sub(lambda m: m.group(1) + DECIMALS.sub(r"\1", m.group(2)) + m.group(3), svg)


class SnippetFault(Exception):
    """A snippet broke the interface (bad value, no figures for a referenced name, ...)."""


def _check_value(snippet: str, key: str, value):
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if hasattr(value, "item") and getattr(value, "shape", None) == ():  # numpy scalar
        value = value.item()
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SnippetFault(f"snippets/{snippet}.py: values()['{key}'] is {value}, not a finite number")
        return value
    raise SnippetFault(
        f"snippets/{snippet}.py: values()['{key}'] has type {type(value).__name__}; "
        "values must be numbers or short strings"
    )


def run(snippet: str, out: Path) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from snippets import style

    out.mkdir(parents=True, exist_ok=True)
    module = importlib.import_module(f"snippets.{snippet}")
    functions = dict(inspect.getmembers(module, inspect.isfunction))
    figures, data, docs = [], [], {}
    for fname, fn in sorted(functions.items()):
        if fn.__module__ != module.__name__:
            continue
        if fname.startswith("fig_"):
            name = fname[4:]
            docs[fname] = inspect.getdoc(fn) or ""
            for pal_name in style.PALETTES:
                pal = style.PALETTES[pal_name]
                with matplotlib.rc_context(style.rc(pal)):
                    fig = Figure()
                    fn(fig, pal)
                    buffer = io.StringIO()
                    fig.savefig(buffer, format="svg", metadata={"Date": None})
                (out / f"{name}.{pal_name}.svg").write_text(compact_svg(buffer.getvalue()))
                figures.append(f"{name}.{pal_name}.svg")
        elif fname.startswith("data_"):
            name = fname[5:]
            payload = fn()
            text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
            (out / f"{name}.json").write_text(text)
            data.append(f"{name}.json")
    values = {}
    if "values" in functions and functions["values"].__module__ == module.__name__:
        raw = functions["values"]()
        if not isinstance(raw, dict):
            raise SnippetFault(f"snippets/{snippet}.py: values() returned {type(raw).__name__}, not a dict")
        values = {k: _check_value(snippet, k, v) for k, v in sorted(raw.items())}
    manifest = {"snippet": snippet, "figures": figures, "data": data, "values": values, "docs": docs}
    (out / "manifest.json").write_text(json.dumps(manifest, sort_keys=True, indent=1))
    return manifest


def main(argv: list[str]) -> int:
    snippet, out = argv[1], Path(argv[2])
    try:
        run(snippet, out)
    except Exception as exc:  # report every failure with the culprit named
        tb = traceback.extract_tb(exc.__traceback__)
        where = next(
            (
                f"{Path(f.filename).name}:{f.lineno} in {f.name}"
                for f in reversed(tb)
                if "/snippets/" in f.filename
            ),
            "",
        )
        print(
            f"snippet '{snippet}' (snippets/{snippet}.py) failed {('at ' + where) if where else ''}",
            file=sys.stderr,
        )
        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

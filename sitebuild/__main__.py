"""Command line: the build's work without MkDocs.

python -m sitebuild render [--out DIR] [NAME ...]   render snippets (cached) into DIR
python -m sitebuild clean                           clear the build's cache (all of .cache/)
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from . import cache, project, runner


def render(out: Path | None, names: list[str]) -> int:
    try:
        results = runner.render_all(names or project.page_snippets())
    except runner.SnippetError as exc:
        print(exc, file=sys.stderr)
        return 1
    for name, result in sorted(results.items()):
        state = "rendered" if result.executed else "cached"
        print(
            f"{name:28s} {state:9s} {len(result.manifest['figures'])} figure files, "
            f"{len(result.values)} values"
        )
        if out:
            target = out / project.FIGURE_DIR / name
            target.mkdir(parents=True, exist_ok=True)
            for fname in result.manifest["figures"] + result.manifest["data"]:
                shutil.copyfile(result.folder / fname, target / fname)
            (target / "values.json").write_text(
                json.dumps(result.values, indent=1, sort_keys=True), encoding="utf-8"
            )
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitebuild", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_render = sub.add_parser("render", help="render snippets' figures and values, without MkDocs")
    p_render.add_argument("--out", type=Path, help="copy figures and values into this folder")
    p_render.add_argument("names", nargs="*", help="snippet names (default: every page's snippet)")
    sub.add_parser("clean", help="clear the build's cache (all of .cache/)")
    args = parser.parse_args(argv)
    if args.cmd == "render":
        return render(args.out, args.names)
    if args.cmd == "clean":
        print(f"cleared {cache.clear()}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())

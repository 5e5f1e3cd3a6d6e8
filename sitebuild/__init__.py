"""The build code of the site: runs snippets, caches their output, expands page shortcodes.

Nothing here is content: readers read ``snippets/``. This package works without MkDocs
(``python -m sitebuild render``); ``sitebuild.hook`` is the thin MkDocs adapter.
"""


def snippet_values(name: str) -> dict:
    """The values() of snippets/<name>.py as the build computed them (from the shared cache)."""
    from .runner import render

    return render(name).values

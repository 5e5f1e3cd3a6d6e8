"""Shared test fixtures. Values and figures come from the build's cache (see sitebuild.runner)."""

from __future__ import annotations

import pytest

from sitebuild import snippet_values


@pytest.fixture(scope="session")
def values_of():
    return snippet_values

"""Fixtures of the unit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.experiment_checks import language


@pytest.fixture
def pseudo_locale() -> Iterator[None]:
    """The test runs in the pseudo-locale; English again after it."""
    with language():
        yield

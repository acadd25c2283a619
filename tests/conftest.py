"""Test-suite-wide settings."""

from __future__ import annotations

import pytest


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Under pytest-xdist (--dist loadgroup) the tests that drive the real app in a
    # terminal run one after another on one worker: each is a whole app, and two at
    # once on a 2-core machine would make their waits flaky.
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("e2e"))

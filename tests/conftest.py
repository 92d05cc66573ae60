"""Suite-wide hooks: tests marked `needs_shared` run only with the shared workspace beside the
project (`../shared/`, see tests/shared.py); without it they are skipped, and fail under CI."""

from __future__ import annotations

import pytest

import pgserver
import shared


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "needs_shared: reads ../shared/ (seeds, corpus); skipped without it, fails under CI"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # before any fixture is set up: module fixtures open shared files too
    if item.get_closest_marker("needs_shared") is not None:
        shared.require()


@pytest.fixture(scope="session")
def pg_server():
    """A throw-away PostgreSQL server for the session (tests/pgserver.py); skipped without
    the binaries, failing under CI."""
    yield from pgserver.start()

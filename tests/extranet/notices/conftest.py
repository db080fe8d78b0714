"""Fixtures the notices' tests share."""

import pytest


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run ``fn`` as a request would: its on-commit work (signals, fan-out, mail) happens."""

    def call(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return call

"""Placeholder until the admin helper fills it (issue 12)."""


def seed(ctx) -> None:
    return None

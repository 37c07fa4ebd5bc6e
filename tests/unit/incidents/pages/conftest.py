"""Fixtures of the page tests (``web_fixtures``): seeded accounts and signed-in browsers."""

from web_fixtures import as_role, client, fast_password_hashing, mediator, seeded

__all__ = ["as_role", "client", "fast_password_hashing", "mediator", "seeded"]

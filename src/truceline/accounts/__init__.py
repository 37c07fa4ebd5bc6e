"""Accounts, roles, party scoping and the access policy."""

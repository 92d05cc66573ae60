"""Accounts: users and roles, Argon2 passwords, API tokens, browser sessions and the
sign-in throttle. Everything lives in the database (no in-process state)."""

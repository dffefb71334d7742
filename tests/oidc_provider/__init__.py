"""A real OpenID Connect provider for the single sign-on tests: a separate small Django project
(django-oauth-toolkit with OIDC on, SQLite in a temporary directory, an RSA key made at start).

`tests/accounts/conftest.py` starts it as a subprocess (`python -m tests.oidc_provider`) on a
free port; it never shares a process, a database or settings with the portal.
"""

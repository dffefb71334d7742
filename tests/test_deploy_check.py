"""`manage.py check --deploy` finds no issue with the production values of .env.example."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NO_ISSUES = "System check identified no issues (0 silenced)."


def env_example() -> dict[str, str]:
    """The variables .env.example sets (its uncommented NAME=value lines)."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip().strip('"')
    return values


def check_deploy(variables: dict[str, str]) -> str:
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}  # noqa: S108
    env.update(variables, DJANGO_SETTINGS_MODULE="helpdesk.settings")
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr


def test_check_deploy_reports_no_issue_with_the_production_values_of_env_example():
    variables = env_example()
    assert variables["SECRET_KEY"] == ""  # the file leaves it to the operator: make one
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    output = check_deploy(variables)
    assert output.strip() == NO_ISSUES, output


def test_check_deploy_warns_about_https_without_those_values():
    output = check_deploy(
        {"SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "false", "ALLOWED_HOSTS": "x.example"}
    )
    for warning in ("W004", "W008", "W012", "W016"):  # HSTS, SSL redirect, secure cookies
        assert f"(security.{warning})" in output

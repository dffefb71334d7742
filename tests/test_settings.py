"""The demo runs with nothing set: SQLite and a file-system broker, DEBUG off."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'],"
    "'broker': settings.CELERY_BROKER_URL, 'debug': settings.DEBUG}))"
)


def probe(**env: str) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DEBUG"}
    }
    clean.update(DJANGO_SETTINGS_MODULE="helpdesk.settings", SECRET_KEY="probe", **env)
    out = subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_it_runs_on_sqlite_and_a_serverless_broker_when_nothing_is_set(tmp_path):
    assert probe(HOME=str(tmp_path)) == {
        "engine": "django.db.backends.sqlite3",
        "broker": "filesystem://",
        "debug": False,
    }


def test_it_uses_the_database_and_redis_it_is_given():
    settings = probe(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x", REDIS_URL="redis://127.0.0.1:6379/3"
    )
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["broker"] == "redis://127.0.0.1:6379/3"

"""The settings as a fresh process reads them from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'],"
    "'broker': settings.CELERY_BROKER_URL, 'debug': settings.DEBUG}))"
)
# What Sentry was started with, if at all.
SENTRY_PROBE = (
    "import json, django, sentry_sdk; django.setup(); client = sentry_sdk.get_client();"
    "print(json.dumps({'active': client.is_active(), 'dsn': client.dsn,"
    "'pii': client.options.get('send_default_pii'), 'integrations': sorted(client.integrations)}))"
)
LOG_PROBE = (
    "import django, logging; django.setup();"
    "logging.getLogger('tickets.jobs').warning('sweep took %s s', 3)"
)


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "CELERY_BROKER_URL",
            "DEBUG",
            "SENTRY_DSN",
            "LOG_FORMAT",
            "DATABASE_PREPARE_THRESHOLD",
        }
    }
    clean.update(DJANGO_SETTINGS_MODULE="helpdesk.settings", SECRET_KEY="probe", **env)
    return subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )


def probe(code: str = PROBE, **env: str) -> dict:
    return json.loads(run(code, **env).stdout.strip().splitlines()[-1])


def test_it_runs_on_sqlite_and_a_serverless_broker_when_nothing_is_set(tmp_path):
    assert probe(HOME=str(tmp_path)) == {
        # django-prometheus's instrumented backend for SQLite
        "engine": "django_prometheus.db.backends.sqlite3",
        "broker": "filesystem://",
        "debug": False,
    }


def test_it_uses_the_database_and_redis_it_is_given():
    settings = probe(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x", REDIS_URL="redis://127.0.0.1:6379/3"
    )
    assert settings["engine"] == "helpdesk.postgresql"  # django-prometheus's, subclassed
    assert settings["broker"] == "redis://127.0.0.1:6379/3"


OPTIONS_PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "options = settings.DATABASES['default']['OPTIONS'];"
    "print(json.dumps([options['server_side_binding'], options['prepare_threshold']]))"
)


def test_postgresql_connections_prepare_statements_unless_told_not_to():
    url = "postgres://postgres@127.0.0.1:5432/x"
    assert probe(OPTIONS_PROBE, DATABASE_URL=url) == [True, 5]
    assert probe(OPTIONS_PROBE, DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD="2") == [True, 2]
    # Behind a pooler in transaction mode: bound on the server, never prepared.
    assert probe(OPTIONS_PROBE, DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD="off") == [
        True,
        None,
    ]


def test_sentry_is_off_unless_a_dsn_is_set():
    assert probe(SENTRY_PROBE)["active"] is False


def test_sentry_reports_from_django_and_celery_without_personal_data_when_a_dsn_is_set():
    dsn = "https://0123456789abcdef@sentry.example.com/42"
    sentry = probe(SENTRY_PROBE, SENTRY_DSN=dsn)
    assert sentry["active"] is True
    assert sentry["dsn"] == dsn
    assert sentry["pii"] is False
    assert {"django", "celery"} <= set(sentry["integrations"])


def test_logs_are_plain_text_by_default():
    line = run(LOG_PROBE).stderr.strip().splitlines()[-1]
    assert line.endswith("WARNING tickets.jobs: sweep took 3 s")


def test_logs_are_one_json_object_a_line_with_log_format_json():
    line = run(LOG_PROBE, LOG_FORMAT="json").stderr.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["level"] == "WARNING"
    assert record["logger"] == "tickets.jobs"
    assert record["message"] == "sweep took 3 s"
    assert "time" in record


@pytest.mark.django_db
def test_postgresql_runs_the_portals_statements_without_jit():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


GC_PROBE = (
    "import gc, json; from helpdesk.wsgi import application;"
    "print(json.dumps({'young': gc.get_threshold()[0], 'frozen': gc.get_freeze_count()}))"
)


def test_a_web_worker_freezes_the_loaded_application_and_collects_less_often(tmp_path):
    """helpdesk/garbage.py: what the worker loaded is out of the collector's sight."""
    settled = probe(GC_PROBE, HOME=str(tmp_path))
    assert settled["young"] == 10_000
    assert settled["frozen"] > 100_000  # Django and the portal's modules, at least

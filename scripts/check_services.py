"""Before the tests: are PostgreSQL and Redis answering? Say exactly what to start if not."""

import os
import socket
import sys
from pathlib import Path

HINTS = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
}


def answering(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings_test")
    from urllib.parse import urlsplit

    from django.conf import settings

    database = settings.DATABASES["default"]
    redis = urlsplit(settings.REDIS_URL)
    targets = [
        (
            "PostgreSQL",
            "DATABASE_URL",
            database.get("HOST") or "127.0.0.1",
            int(database.get("PORT") or 5432),
        ),
        ("Redis", "REDIS_URL", redis.hostname or "127.0.0.1", redis.port or 6379),
    ]
    missing = 0
    for name, variable, host, port in targets:
        if not answering(host, port):
            missing += 1
            print(f"{name} is not answering at {host}:{port}. Start it, e.g.:")
            print(f"    {HINTS[name]}")
            print(f"or point {variable} at a running server.")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

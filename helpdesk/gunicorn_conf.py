"""Gunicorn settings for the Docker image: Prometheus metrics summed over the worker processes.

Every worker writes its django-prometheus metrics to files in one directory per server
(PROMETHEUS_MULTIPROC_DIR) and /metrics reads them all (helpdesk/metrics.py), so a scrape sees
the whole server, not whichever worker answered. The variable is set here, before any worker
imports prometheus_client (which reads it on import); the directory is made empty when the
server starts, a dead worker's live gauges are dropped, and the directory goes with the server.
"""

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    str(Path(tempfile.gettempdir()) / f"helpdesk-prometheus-{os.getpid()}"),
)
METRICS_DIR = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])


def on_starting(server: object) -> None:
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    METRICS_DIR.mkdir(parents=True)


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess  # imported late: after the variable is set

    multiprocess.mark_process_dead(worker.pid, str(METRICS_DIR))


def on_exit(server: object) -> None:
    shutil.rmtree(METRICS_DIR, ignore_errors=True)

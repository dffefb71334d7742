"""The probes and metrics of a real server: gunicorn with two workers, a real worker and beat.

/readyz turns green once the real beat's sweep has run, and red when the beat and worker stop;
/metrics counts the requests of every gunicorn worker (helpdesk/gunicorn_conf.py), not only
those of the worker that answers the scrape.
"""

import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.conftest import BASE_DIR, VENV_BIN, add_diagnostics, worker_environment
from tests.integration.support import CeleryStack, ManagedProcess, SmtpServer, free_port, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TOKEN = "integration-scraper-token"


def get(url: str, **headers: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:  # noqa: S310
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def healthz_count(base: str) -> float:
    status, text = get(f"{base}/metrics", Authorization=f"Bearer {TOKEN}")
    assert status == 200, text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "django_http_requests_total_by_view_transport_method_total"
        and sample.labels["view"] == "healthz"
    )


@pytest.fixture
def web(
    request: pytest.FixtureRequest, tmp_path: Path, shared_redis_url: str, smtp_server: SmtpServer
):
    """gunicorn as the Docker image runs it, with two workers, on a free port."""
    port = free_port()
    env = worker_environment(redis_url=shared_redis_url, smtp=smtp_server)
    env.update(METRICS_TOKEN=TOKEN, READYZ_SWEEP_MAX_AGE_SECONDS="3")
    server = ManagedProcess(
        name="gunicorn",
        args=[
            str(VENV_BIN / "gunicorn"), "helpdesk.wsgi:application",
            "--config", "python:helpdesk.gunicorn_conf",
            "--bind", f"127.0.0.1:{port}", "--workers", "2",
        ],
        log_path=tmp_path / "gunicorn.log",
        env=env,
        cwd=BASE_DIR,
    )  # fmt: skip
    add_diagnostics(request.node, server.name, server.diagnostics)
    server.start()
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: get(f"{base}/healthz")[0] == 200, what="gunicorn answering /healthz")
    yield base
    server.stop()


def test_readyz_follows_the_real_beat_and_metrics_sum_every_worker(
    web: str,
    shared_redis_url: str,
    smtp_server: SmtpServer,
    start_celery: Callable[..., CeleryStack],
):
    status, text = get(f"{web}/readyz")
    assert status == 503
    assert "beat_sweep: Unavailable: No sweep has finished yet" in text

    stack = start_celery(redis_url=shared_redis_url, smtp=smtp_server)
    wait_until(lambda: get(f"{web}/readyz")[0] == 200, what="/readyz after the first sweep")

    before = healthz_count(web)
    for _ in range(20):  # spread over both workers by the kernel
        assert get(f"{web}/healthz")[0] == 200
    assert healthz_count(web) == before + 20

    stack.beat.stop()
    stack.worker.stop()
    status, text = wait_until(
        lambda: (found := get(f"{web}/readyz"))[0] == 503 and found,
        what="/readyz failing once the sweeps stopped",
    )
    assert "beat_sweep: Unavailable: The last sweep finished" in text

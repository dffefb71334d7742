"""Running work in several threads at the same moment, each on its own DB connection."""

import threading
from collections.abc import Callable

from django.db import connection


def run_in_threads(count: int, work: Callable[[int], object]) -> list:
    """Start `count` threads at the same moment; each returns a result or its exception."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as exc:  # the test inspects what each thread got
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results

"""CPython's garbage collector tuned for a long-running web worker (helpdesk/wsgi.py).

A page builds tens of thousands of container objects (model instances, template contexts,
rows), and the cyclic collector, at its default threshold of 700 new objects, runs a young
collection dozens of times per request and, now and then, an old one that walks every object
the process holds: the code, the settings and the kept caches, several hundred thousand.

- `gc.freeze()` once the application is loaded puts what exists then out of the collector's
  sight for good (it lives as long as the process anyway), and keeps the pages that hold it
  unwritten, so a forked worker shares them with its parent longer.
- A young generation of YOUNG objects lets a request's short-lived cycles wait for one
  collection instead of many; what a request leaves is still collected within a few requests.

Measured interleaved in one process at the bench load (bench/bench_pages.py, issue 14): 3-8 %
off the median of the ticket page, filing and the lists, and the same or better at p95.
"""

import gc

YOUNG = 10_000  # CPython's default is 700; the older generations keep their factor of 10


def settle() -> None:
    """Call once the application is loaded: collect, freeze what is there, raise the bar."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)

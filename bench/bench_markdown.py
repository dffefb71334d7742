"""Markdown texts rendered and sanitized per second on one core (a script, not a test).

Run from the repository root: `python bench/bench_markdown.py [N]`. Renders N conversation
texts the way the ticket page does (knowledge.markdown: markdown-it-py, then nh3): a short
reply with a link, a log excerpt in a code block, and a resolution with a list and an image
among the ticket's attachments. A ticket page of 50 messages renders 50 of them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TEXTS = [
    "Please send the log of the last hour; see https://docs.example.com/vpn for where it is.",
    "The log:\n\n```\n" + "2026-01-12 10:00:01 vpn: tunnel down (peer timeout)\n" * 40 + "```\n",
    "**Fixed.** Steps:\n\n1. Renew the keys: `ike rekey --all`\n2. Restart the service\n\n"
    "![the dialog](shot.png)\n\n<script>alert(1)</script> [x](javascript:alert(1))",
]
IMAGES = {"shot.png": "/tickets/attachments/1/"}


def main() -> int:
    import django

    django.setup()
    from knowledge.markdown import render_markdown

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    render_markdown(TEXTS[0])  # the parser's one-off set-up is not timed
    started = time.perf_counter()
    for i in range(n):
        render_markdown(TEXTS[i % len(TEXTS)], images=IMAGES)
    elapsed = time.perf_counter() - started
    rate = n / elapsed
    print(f"markdown: {n} texts in {elapsed:.2f} s = {rate:,.0f} texts/s")
    print(f"  a ticket page of 50 messages: {50 / rate * 1000:.1f} ms of rendering")
    return 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    sys.exit(main())

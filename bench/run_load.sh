#!/usr/bin/env bash
# The mixed load of issue 14 on the bench database: gunicorn, then locust, headless.
#
#   bench/run_load.sh            (or: make bench-load)
#
# Environment (defaults): WORKERS (2 × cores + 1, gunicorn's rule for sync workers), USERS (40
# simulated visitors), SPAWN (10 a second), DURATION (2m), THINK ("1,3" seconds between a
# visitor's requests), PORT (8014), DATABASE_URL (helpdesk_bench), REDIS_URL (db 10: mail is
# queued there, never sent; no worker listens).
# Steps: collectstatic (production's hashed static files); bench/locust_setup.py prepare (the
# load of bench_jobs.py reused, the big organization, sessions for the visitors); gunicorn with
# DEBUG off; locust for DURATION; the table of requests per second, median, p95 and failures per
# kind of request; then, whatever happened, gunicorn stopped and the load put back as loaded
# (bench/locust_setup.py cleanup). Other processes on the machine skew the figures: note them.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=helpdesk.settings
export SECRET_KEY="${SECRET_KEY:-bench-only}"
export DEBUG=0
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/helpdesk_bench}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/10}"
export CELERY_TASK_ALWAYS_EAGER=0
export LOG_LEVEL="${LOG_LEVEL:-WARNING}"
WORKERS="${WORKERS:-$((2 * $(nproc) + 1))}"
USERS="${USERS:-40}"
SPAWN="${SPAWN:-10}"
DURATION="${DURATION:-2m}"
PORT="${PORT:-8014}"
OUT=var/bench
export BENCH_LOCUST_DATA="$OUT/locust.json" BENCH_THINK="${THINK:-1,3}"
mkdir -p "$OUT"

$PY manage.py collectstatic --noinput -v 0
$PY bench/locust_setup.py prepare --out "$BENCH_LOCUST_DATA"

.venv/bin/gunicorn helpdesk.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --log-level warning --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
finish() {
    kill "$GUNICORN" 2>/dev/null || true
    wait "$GUNICORN" 2>/dev/null || true
    $PY bench/locust_setup.py cleanup --out "$BENCH_LOCUST_DATA"
}
trap finish EXIT
for _ in $(seq 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break
    sleep 0.2
done

echo "gunicorn: $WORKERS workers on $(nproc) cores; locust: $USERS visitors for $DURATION," \
    "think time ${BENCH_THINK/,/-} s; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
.venv/bin/locust -f bench/locustfile.py --headless --users "$USERS" --spawn-rate "$SPAWN" \
    --run-time "$DURATION" --host "http://127.0.0.1:$PORT" --csv "$OUT/load" --only-summary \
    --loglevel WARNING >"$OUT/locust.log" 2>&1 || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
$PY bench/locust_setup.py report "$OUT/load_stats.csv"
if [ -s "$OUT/load_failures.csv" ] && [ "$(wc -l <"$OUT/load_failures.csv")" -gt 1 ]; then
    echo "failures:"
    cat "$OUT/load_failures.csv"
fi

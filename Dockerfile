# syntax=docker/dockerfile:1
# Production image for the support portal.
#   docker build -t helpdesk .
#   docker run --env-file .env -p 8000:8000 helpdesk          # web (gunicorn)
#   docker run --env-file .env helpdesk celery -A helpdesk worker -l info
# Configuration comes from the environment only (see .env.example); nothing secret is baked in.

# --- base: Python + the project's runtime dependencies (no dev extras) ----------------------
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# pyproject.toml has `packages = []`, so installing it from the file alone pulls in exactly the
# dependencies; this layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml /tmp/build/pyproject.toml
# XStatic-Bootstrap is an sdist whose setup.py needs pkg_resources: built without isolation.
RUN pip install --no-cache-dir wheel "setuptools<81" \
    && pip install --no-cache-dir --no-build-isolation "XStatic-Bootstrap>=5.3,<5.4" \
    && pip install --no-cache-dir /tmp/build && rm -rf /tmp/build

WORKDIR /app

# --- assets: compile translations and collect static files --------------------------------
FROM base AS assets

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# Explicit list (no .dockerignore): keeps .venv, .env, var/, tests and .git out of the image.
COPY manage.py ./
COPY helpdesk/ ./helpdesk/
COPY accounts/ ./accounts/
COPY sla/ ./sla/
COPY tickets/ ./tickets/
COPY workspace/ ./workspace/
COPY licensing/ ./licensing/
COPY reports/ ./reports/
COPY templates/ ./templates/
COPY static/ ./static/
COPY locale/ ./locale/

# SECRET_KEY is a throwaway for these two commands only; the settings module creates var/ on
# import (file-system broker), which is dropped here and recreated for the runtime user below.
RUN SECRET_KEY=build-only python manage.py compilemessages \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && rm -rf var

# --- runtime: base + built app, no gettext, non-root --------------------------------------
FROM base AS runtime

# WeasyPrint (the SLA report's PDF) draws with Pango and HarfBuzz; fonts with Cyrillic.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

# Code and static files stay root-owned (read-only for the app); only var/ is writable:
# var/media holds attachments when no S3 bucket is configured (mount a volume there).
COPY --from=assets /app /app
RUN mkdir -p /app/var/media && chown -R app:app /app/var

USER app

EXPOSE 8000

# helpdesk/gunicorn_conf.py: /metrics sums the metrics of all workers (PROMETHEUS_MULTIPROC_DIR).
CMD ["sh", "-c", "exec gunicorn helpdesk.wsgi:application --config python:helpdesk.gunicorn_conf --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]

"""Settings for the test suite: the production settings, with test defaults for the environment.

The suite always runs on PostgreSQL and Redis; tasks run in-process unless a test starts a real
worker. Anything already set in the environment (DATABASE_URL, REDIS_URL …) wins.
"""

import os

for _name, _default in {
    "SECRET_KEY": "tests-only-not-secret",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/helpdesk",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "CELERY_TASK_ALWAYS_EAGER": "1",
    "DEBUG": "0",
}.items():
    os.environ.setdefault(_name, _default)

from helpdesk.settings import *  # noqa: E402, F403

# PBKDF2's deliberate slowness would dominate the suite; the hasher is not under test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No collectstatic before tests: serve from the finders, without a manifest.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploaded test files go to a throw-away directory, never to the demo's var/media.
if not AWS_STORAGE_BUCKET_NAME:  # noqa: F405
    import atexit
    import shutil
    import tempfile

    _MEDIA = tempfile.mkdtemp(prefix="helpdesk-media-")
    STORAGES["default"]["OPTIONS"]["location"] = _MEDIA  # noqa: F405
    atexit.register(shutil.rmtree, _MEDIA, ignore_errors=True)  # one folder per process, gone after

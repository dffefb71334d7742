"""Static files are served with long-lived cache headers in production (issue 14).

The production storage (CompressedManifestStaticFilesStorage) names each file by a hash of its
content; whitenoise then serves those names as immutable for ten years, and the names without
a hash (which never appear in pages) for a minute. Checked on a real collectstatic.
"""

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings

# Production's storage without its compression step (slow, and beside the point here): the
# hashed names, which decide what whitenoise serves as immutable, are the same.
MANIFEST = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.fixture
def collected(tmp_path, settings):
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=storages,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


def test_hashed_static_files_are_cached_for_good(collected, db):
    url = static("css/portal.css")
    assert url != "/static/css/portal.css"  # the name carries the content's hash
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"

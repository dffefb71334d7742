"""`manage.py import_licenses` and Django admin's import page, on the same engine."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import License
from licensing.models import TierChange
from tests import factories


def write(tmp_path, text, name="licenses.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = (
    "organization,key,product,tier,support_starts_on,support_ends_on\n"
    "Gamma Systems,gam-0001,UserGate NGFW,standard,2026-01-01,2027-01-01\n"
    "Gamma Systems,gam-0002,UserGate NGFW,premium,2026-01-01,2027-01-01\n"
)


@pytest.mark.django_db
def test_the_command_imports_and_reports_each_row(tmp_path):
    out = io.StringIO()
    call_command("import_licenses", write(tmp_path, GOOD), stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "row 2: created GAM-0001" in text
    assert "row 3: created GAM-0002" in text
    assert "Rows: 2 — created: 2, updated: 0, unchanged: 0, refused: 0." in text
    assert License.objects.count() == 2


@pytest.mark.django_db
def test_the_command_dry_run_writes_nothing(tmp_path):
    out = io.StringIO()
    call_command(
        "import_licenses", write(tmp_path, GOOD), "--dry-run", stdout=out, stderr=io.StringIO()
    )
    assert "Dry run: nothing was written." in out.getvalue()
    assert not License.objects.exists()


@pytest.mark.django_db
def test_the_command_names_the_refused_rows_and_their_reasons(tmp_path):
    bad = GOOD + "Gamma Systems,gam-0003,UserGate NGFW,gold,2026-01-01,2027-01-01\n"
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_licenses", write(tmp_path, bad), stdout=out, stderr=io.StringIO())
    assert refused.value.returncode == 2
    assert (
        "row 4: refused GAM-0003 — tier: Unknown support tier “gold”: use one of platinum, "
        "premium, standard." in out.getvalue()
    )
    assert License.objects.count() == 2  # each row is atomic: the good ones are in


@pytest.mark.django_db
def test_the_command_refuses_a_file_without_the_columns(tmp_path):
    with pytest.raises(CommandError, match="The file has no column tier"):
        call_command(
            "import_licenses",
            write(tmp_path, "organization,key,product,support_starts_on,support_ends_on\n"),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


@pytest.mark.django_db
def test_the_command_reads_xlsx(tmp_path):
    import tablib

    dataset = tablib.Dataset(
        headers=["organization", "key", "product", "tier", "support_starts_on", "support_ends_on"]
    )
    import datetime

    dataset.append(
        ["Delta", "DEL-1", "NGFW", "platinum", datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)]
    )
    path = tmp_path / "licenses.xlsx"
    path.write_bytes(dataset.export("xlsx"))
    call_command("import_licenses", path, stdout=io.StringIO(), stderr=io.StringIO())
    assert License.objects.get().tier_id == "platinum"


def _upload(client, text, name="licenses.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("admin:accounts_license_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile(name, text.encode(), content_type="text/csv"),
        },
    )


@pytest.mark.django_db
def test_the_admin_previews_then_imports(client, admin_user):
    client.force_login(admin_user)
    preview = _upload(client, GOOD)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "GAM-0001" in page
    assert "GAM-0002" in page
    assert not License.objects.exists()  # the preview is a dry run
    confirm = preview.context["confirm_form"]
    response = client.post(
        reverse("admin:accounts_license_process_import"),
        dict(confirm.initial.items()),
    )
    assert response.status_code == 302
    assert License.objects.count() == 2


@pytest.mark.django_db
def test_the_admin_preview_shows_the_errors_per_row_and_offers_no_confirmation(
    client, admin_user, license_a
):
    client.force_login(admin_user)
    bad = (
        GOOD
        + "Gamma Systems,ALPHA-0001,UserGate NGFW,standard,2026-01-01,2027-01-01\n"
        + "Gamma Systems,gam-0009,UserGate NGFW,standard,2026-01-01,2025-01-01\n"
    )
    response = _upload(client, bad)
    page = response.content.decode()
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "The key ALPHA-0001 belongs to another organization (Alpha Logistics)" in page
    assert "Support cannot end (2025-01-01) before it starts (2026-01-01)." in page
    assert "Some rows failed to validate" in page
    assert License.objects.count() == 1


@pytest.mark.django_db
def test_an_admin_edit_of_the_tier_is_kept_in_the_history(client, admin_user, license_a):
    client.force_login(admin_user)
    url = reverse("admin:accounts_license_change", args=[license_a.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        tier="premium",
        organization=license_a.organization_id,
        **{
            "tier_changes-TOTAL_FORMS": "0",
            "tier_changes-INITIAL_FORMS": "0",
            "tier_changes-MIN_NUM_FORMS": "0",
            "tier_changes-MAX_NUM_FORMS": "0",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = TierChange.objects.get()
    assert (change.from_tier_id, change.to_tier_id, change.source, change.changed_by) == (
        "standard",
        "premium",
        "admin",
        admin_user,
    )
    assert "premium" in client.get(url).content.decode().lower()


@pytest.mark.django_db
def test_an_unchanged_tier_writes_no_history(client, admin_user):
    license = factories.LicenseFactory(key="ZED-1")
    client.force_login(admin_user)
    url = reverse("admin:accounts_license_change", args=[license.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        product="Other product",
        **{
            "tier_changes-TOTAL_FORMS": "0",
            "tier_changes-INITIAL_FORMS": "0",
            "tier_changes-MIN_NUM_FORMS": "0",
            "tier_changes-MAX_NUM_FORMS": "0",
        },
    )
    assert client.post(url, data).status_code == 302
    assert not TierChange.objects.exists()

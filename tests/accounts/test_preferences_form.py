"""The profile's time-zone list: Russia's zones first, by offset, then each region."""

import re

from django.urls import reverse
from django.utils import translation

from accounts.forms import RUSSIA, PreferencesForm, zone_choices


def test_it_puts_russias_zones_first_from_west_to_east():
    groups = zone_choices()
    label, zones = groups[0]
    assert str(label) == "Russia"
    assert [zone for zone, _ in zones] == list(RUSSIA)
    assert ("Europe/Moscow", "Moscow (UTC+3)") in zones
    assert ("Asia/Kamchatka", "Kamchatka (UTC+12)") in zones


def test_it_groups_the_other_zones_by_region_with_each_zone_once():
    groups = zone_choices()
    names = [str(label) for label, _ in groups]
    assert names[:4] == ["Russia", "Europe", "Asia", "Africa"]
    values = [zone for _, zones in groups for zone, _ in zones]
    assert len(values) == len(set(values))
    assert "Europe/Berlin" in values
    assert "US/Eastern" in dict(groups[-1][1])  # old aliases stay selectable, under "Other"
    europe = dict(groups[1][1])
    assert "Europe/Moscow" not in europe
    assert re.fullmatch(r"Berlin \(UTC\+[12]\)", europe["Europe/Berlin"])


def test_it_names_russias_zones_and_regions_in_russian():
    with translation.override("ru"):
        html = str(PreferencesForm()["time_zone"])
    assert '<optgroup label="Россия">' in html
    assert ">Москва (UTC+3)</option>" in html
    assert '<optgroup label="Европа">' in html


def test_it_saves_a_zone_chosen_from_a_group(client, customer):
    client.force_login(customer)
    data = {"first_name": "Alice", "last_name": "A", "language": "en", "time_zone": "Asia/Omsk"}
    response = client.post(reverse("accounts:profile"), data)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.time_zone == "Asia/Omsk"


def test_the_zone_picker_is_a_grouped_select_with_a_search_box_for_scripts(client, customer):
    """Without JavaScript the grouped select works as it is; static/js/zone-picker.js adds a
    search box above it (no inline script: the page's CSP forbids it)."""
    client.force_login(customer)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'data-zone-search="Find a time zone' in page
    assert "js/zone-picker.js" in page
    first_group = page.index("<optgroup")
    assert page[first_group : first_group + 40].count("Russia") == 1
    assert page.count("<option") > 300

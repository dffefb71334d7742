import datetime

import pytest
import tablib

HEADERS = ["organization", "key", "product", "tier", "support_starts_on", "support_ends_on"]


def table(*rows, headers=HEADERS):
    dataset = tablib.Dataset(headers=list(headers))
    for row in rows:
        dataset.append(list(row))
    return dataset


def row(org="Gamma Systems", key="gam-0001", tier="standard", start="2026-01-01", end="2027-01-01"):
    return (org, key, "UserGate NGFW", tier, start, end)


@pytest.fixture
def today():
    return datetime.date(2026, 12, 1)

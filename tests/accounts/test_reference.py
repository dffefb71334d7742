"""Reference data kept per process until it changes anywhere (accounts/reference.py)."""

import uuid

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import reference
from knowledge.selectors import kept_areas
from sla import selectors
from sla.models import Priority, Target
from tests.factories import EngineerFactory


def queries(read) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        value = read()
    return value, len(captured)


def test_a_second_read_asks_the_database_nothing(engineer):
    first, _ = queries(reference.engineers.get)
    again, count = queries(reference.engineers.get)
    assert again == first
    assert (engineer.pk, str(engineer)) in again
    assert count == 0


def test_a_new_or_deactivated_engineer_is_seen_at_once(engineer):
    reference.engineers.get()
    newcomer = EngineerFactory(first_name="Nadia", last_name="Novak", second_factor=False)
    assert (newcomer.pk, "Nadia Novak") in reference.engineers.get()
    engineer.is_active = False
    engineer.save()
    assert engineer.pk not in dict(reference.engineers.get())


def test_a_change_in_another_process_is_seen_through_the_shared_version(engineer):
    reference.engineers.get()
    cache.set(reference.VERSION_KEY, uuid.uuid4().hex, None)  # what its signal stores
    _, count = queries(reference.engineers.get)
    assert count == 1


def test_a_lost_cache_reads_afresh(engineer):
    reference.engineers.get()
    cache.delete(reference.VERSION_KEY)  # a restart of Redis
    _, count = queries(reference.engineers.get)
    assert count == 1


def test_sla_targets_and_priorities_follow_admin_edits(db):
    target = Target.objects.get(tier_id="standard", priority_id="critical")
    assert selectors.target_for(tier_id="standard", priority_id="critical") == target
    target.reaction_amount += 1
    target.save()
    kept = selectors.target_for(tier_id="standard", priority_id="critical")
    assert kept.reaction_amount == target.reaction_amount

    priority = Priority.objects.get(code="low")
    priority.name = "Lowest"
    priority.save()
    assert "Lowest" in [p.name for p in selectors.priorities.get()]


def test_customers_coming_and_going_keep_the_engineers(engineer, customer, colleague):
    reference.engineers.get()
    customer.first_name = "Alicia"
    customer.save()
    colleague.delete()
    _, count = queries(reference.engineers.get)
    assert count == 0


def test_an_engineer_turned_customer_leaves_the_list(engineer, org_a):
    reference.engineers.get()
    engineer.role = engineer.Role.CUSTOMER
    engineer.organization = org_a
    engineer.save()
    assert engineer.pk not in dict(reference.engineers.get())


def test_a_sign_in_of_a_customer_asks_nothing_about_engineers(customer):
    customer.last_login = customer.date_joined
    _, count = queries(lambda: customer.save(update_fields=["last_login"]))
    assert count == 1  # the UPDATE alone


def test_a_request_reads_the_shared_version_once_and_sees_its_own_changes(engineer):
    versions = []
    with reference.one_version_per_request():
        versions.append(reference.current_version())
        cache.set(reference.VERSION_KEY, "changed-by-another-process", None)
        versions.append(reference.current_version())  # seen by the next request
        reference.changed()  # a change made in this request
        versions.append(reference.current_version())
    assert versions[0] == versions[1]
    assert versions[2] not in (versions[0], "changed-by-another-process")
    assert reference.current_version() == versions[2]


def test_the_next_request_sees_a_change_made_elsewhere(client, engineer):
    def priorities_read() -> bool:  # the queue's filter offers the kept priorities
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/work/queue/").status_code == 200
        return any('FROM "sla_priority"' in query["sql"] for query in captured)

    client.force_login(engineer)
    priorities_read()
    assert not priorities_read()
    cache.set(reference.VERSION_KEY, uuid.uuid4().hex, None)  # another process's admin edit
    assert priorities_read()


def test_product_areas_follow_admin_edits(vpn):
    assert [area.name for area in kept_areas.get()] == ["VPN"]
    vpn.name = "VPN tunnels"
    vpn.save()
    assert [area.name for area in kept_areas.get()] == ["VPN tunnels"]
    vpn.delete()
    assert kept_areas.get() == []

from django.core.management import call_command

from accounts.models import License, Organization, User
from tickets.models import CloseReason, State, Ticket


def test_it_loads_demo_data_with_tickets_in_every_state_and_is_idempotent(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (User.objects.count(), License.objects.count(), Ticket.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (User.objects.count(), License.objects.count(), Ticket.objects.count()) == counts

    assert Organization.objects.count() == 2
    assert User.objects.filter(is_staff=True).exists()
    assert User.objects.filter(role="engineer", is_staff=False).exists()
    beta = Organization.objects.get(name="Beta Bank")
    assert beta.licenses.get().tier.extended
    assert beta.licenses.get().hotline_phone
    assert License.objects.filter(support_ends_on__lt=Ticket.objects.first().registered_at).exists()

    states = set(Ticket.objects.values_list("state", flat=True))
    assert states == {s for s in State.values if s != State.CONFIRMED}  # confirmed is transient
    reasons = set(Ticket.objects.filter(state="closed").values_list("close_reason", flat=True))
    assert reasons == set(CloseReason.values)
    # confirmed was passed through on the way to closed, and the audit log shows it
    assert Ticket.objects.filter(events__to_state=State.CONFIRMED).exists()

"""The SLA calculator: `sla_explain --timeline` folds events through the clock the tickets use."""

import datetime
import io
import json
import zoneinfo

import pytest
from django.core.management import CommandError, call_command

from tests.factories import TicketFactory
from tickets import services
from tickets.clock import CLOCK_FIELDS, ClockFields, TimelineEvent
from tickets.deadlines import explain_timeline

MSK = zoneinfo.ZoneInfo("Europe/Moscow")


def msk(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MSK)


@pytest.fixture
def timeline(tmp_path):
    """Run the command on a timeline file of (event, ISO instant[, priority]) rows."""

    def run(tier: str, priority: str, *rows: tuple[str, ...], as_json: bool = True):
        events = [
            {"event": row[0], "at": row[1], **({"priority": row[2]} if len(row) > 2 else {})}
            for row in rows
        ]
        path = tmp_path / "timeline.json"
        path.write_text(json.dumps(events), encoding="utf-8")
        out = io.StringIO()
        args = ["--tier", tier, "--priority", priority, "--timeline", str(path)]
        call_command("sla_explain", *args, *(["--json"] if as_json else []), stdout=out)
        return json.loads(out.getvalue()) if as_json else out.getvalue()

    return run


@pytest.mark.django_db
def test_it_closes_a_ticket_resolved_on_sunday_29_november_at_the_start_of_14_december(timeline):
    data = timeline(
        "standard",
        "medium",
        ("registered", "2026-11-27T10:00:00+03:00"),
        ("take", "2026-11-27T11:00:00+03:00"),
        ("resolve", "2026-11-29T12:00:00+03:00"),
    )
    assert data["auto_close_at"] == "2026-12-14T00:00:00+03:00"
    assert data["confirmation_due"] == "2026-12-01T00:00:00+03:00"  # 24:00 of Mon 30.11
    assert data["pauses"] == [["2026-11-29T12:00:00+03:00", None]]
    assert data["state"] == "resolved"
    assert data["resolution_met"] is True
    assert set(data) == {
        "reaction_due",
        "resolution_due",
        "confirmation_due",
        "auto_close_at",
        "pauses",
        "reaction_met",
        "resolution_met",
        "state",
    }


@pytest.mark.django_db
def test_it_closes_an_info_request_of_16_december_on_11_january_after_the_holidays(timeline):
    data = timeline(
        "standard",
        "medium",
        ("registered", "2026-12-15T10:00:00+03:00"),
        ("take", "2026-12-15T11:00:00+03:00"),
        ("request_info", "2026-12-16T10:00:00+03:00"),
    )
    assert data["auto_close_at"] == "2027-01-11T00:00:00+03:00"
    assert data["confirmation_due"] is None
    assert data["pauses"] == [["2026-12-16T10:00:00+03:00", None]]
    assert data["state"] == "awaiting_customer"


@pytest.mark.django_db
def test_it_resumes_a_disputed_resolution_with_the_time_that_was_left(timeline):
    data = timeline(
        "standard",
        "high",
        ("registered", "2026-03-02T10:00:00+03:00"),
        ("take", "2026-03-02T10:30:00+03:00"),
        ("resolve", "2026-03-05T17:00:00+03:00"),
        ("dispute", "2026-03-06T10:00:00+03:00"),
    )
    # 5 bd from Mon 2 March end Tue 10 March 18:00; Thu 17:00 -> Fri 10:00 took 2 working hours.
    assert data["resolution_due"] == "2026-03-11T11:00:00+03:00"
    assert data["pauses"] == [["2026-03-05T17:00:00+03:00", "2026-03-06T10:00:00+03:00"]]
    assert data["resolution_met"] is None  # open again after the dispute
    assert data["confirmation_due"] is None
    assert data["auto_close_at"] is None
    assert data["state"] == "disputed"


@pytest.mark.django_db
def test_it_recomputes_from_registration_on_a_priority_change_keeping_finished_pauses(timeline):
    data = timeline(
        "standard",
        "high",
        ("registered", "2026-03-02T10:00:00+03:00"),
        ("take", "2026-03-02T10:30:00+03:00"),
        ("request_info", "2026-03-03T12:00:00+03:00"),
        ("provide_info", "2026-03-04T12:00:00+03:00"),
        ("priority_change", "2026-03-04T13:30:00+03:00", "critical"),
    )
    assert data["reaction_due"] == "2026-03-02T14:00:00+03:00"  # 4 h from registration
    assert data["reaction_met"] is True
    # 3 bd from registration = Thu 5 March 18:00, plus the 9 working hours paused.
    assert data["resolution_due"] == "2026-03-06T18:00:00+03:00"


@pytest.mark.django_db
def test_it_restarts_the_silence_on_customer_activity(timeline):
    data = timeline(
        "standard",
        "medium",
        ("registered", "2026-11-27T10:00:00+03:00"),
        ("take", "2026-11-27T11:00:00+03:00"),
        ("resolve", "2026-11-29T12:00:00+03:00"),
        ("customer_activity", "2026-12-01T15:00:00+03:00"),
    )
    # 10 business days after Tue 1 December are 2-15 December; the 11th is Wed 16 December.
    assert data["auto_close_at"] == "2026-12-16T00:00:00+03:00"


@pytest.mark.django_db
def test_it_prints_the_deadlines_for_a_person_with_the_time_zone_named(timeline):
    text = timeline(
        "standard",
        "medium",
        ("registered", "2026-11-27T10:00:00+03:00"),
        ("take", "2026-11-27T11:00:00+03:00"),
        ("resolve", "2026-11-29T12:00:00+03:00"),
        as_json=False,
    )
    assert "times in Europe/Moscow" in text
    assert "Closes for silence at: 2026-12-14T00:00:00+03:00  (Mon 14 Dec 2026 00:00" in text
    assert "from 2026-11-29T12:00:00+03:00" in text
    assert "still paused" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("take", "2026-03-02T10:00:00+03:00")],
            r"Event 1 \(take\): the first event must be “registered”",
        ),
        (
            [
                ("registered", "2026-03-02T10:00:00+03:00"),
                ("take", "2026-03-02T10:30:00+03:00"),
                ("dispute", "2026-03-02T11:00:00+03:00"),
            ],
            r"Event 3 \(dispute\): not allowed while the ticket is “In progress” "
            r"\(allowed from: Resolved\)",
        ),
        (
            [
                ("registered", "2026-03-02T10:00:00+03:00"),
                ("take", "2026-03-02T09:30:00+03:00"),
            ],
            r"Event 2 \(take\): it is earlier than the event before it",
        ),
        (
            [
                ("registered", "2026-11-27T10:00:00+03:00"),
                ("take", "2026-11-27T11:00:00+03:00"),
                ("resolve", "2026-11-29T12:00:00+03:00"),
                ("dispute", "2026-12-14T00:00:00+03:00"),
            ],
            r"Event 4 \(dispute\): the ticket would already have been closed for silence",
        ),
        (
            [
                ("registered", "2026-03-02T10:00:00+03:00"),
                ("priority_change", "2026-03-02T11:00:00+03:00", "urgent"),
            ],
            r"Event 2 \(priority_change\): say the new priority",
        ),
        (
            [("registered", "2026-03-02T10:00:00+03:00"), ("escalate", "2026-03-02T11:00+03:00")],
            r"Event 2 \(escalate\): unknown event",
        ),
        (
            [("registered", "2026-03-02T10:00:00")],
            r'event 1 \(registered\): "at" needs a UTC offset',
        ),
    ],
)
def test_it_names_the_event_that_cannot_happen_where_it_stands(timeline, rows, message):
    with pytest.raises(CommandError, match=message):
        timeline("standard", "high", *rows)


@pytest.mark.django_db
def test_it_refuses_registered_together_with_a_timeline(tmp_path):
    path = tmp_path / "t.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match="drop --registered"):
        call_command(
            "sla_explain",
            *["--tier", "standard", "--priority", "high", "--timeline", str(path)],
            *["--registered", "2026-03-02T10:00:00+03:00"],
        )


def _clock_of(ticket) -> ClockFields:
    ticket.refresh_from_db()
    return ClockFields(**{name: getattr(ticket, name) for name in CLOCK_FIELDS})


def test_it_derives_what_the_ticket_services_store_for_the_same_events(
    customer, engineer, license_a, timeline
):
    """No second implementation: a real ticket and the calculator end with the same clock."""
    ticket = TicketFactory(
        customer=customer, license=license_a, priority="high", now=msk(2026, 3, 2, 10, 0)
    )
    events = [TimelineEvent("registered", msk(2026, 3, 2, 10, 0))]

    def step(kind: str, at: datetime.datetime, priority: str = "") -> None:
        events.append(TimelineEvent(kind, at, priority))
        report = explain_timeline(tier_id="standard", priority_id="high", events=events)
        assert report.clock == _clock_of(ticket), f"after {kind} at {at}"

    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 2, 10, 30))
    step("take", msk(2026, 3, 2, 10, 30))
    services.ticket_request_info(
        actor=engineer, ticket=ticket, body="Logs.", now=msk(2026, 3, 3, 12, 0)
    )
    step("request_info", msk(2026, 3, 3, 12, 0))
    change = services.priority_change_propose(
        actor=customer,
        ticket=ticket,
        to_priority="critical",
        reason="HQ affected.",
        now=msk(2026, 3, 3, 13, 0),
    )
    step("customer_activity", msk(2026, 3, 3, 13, 0))
    services.priority_change_answer(
        actor=engineer, change=change, accept=True, now=msk(2026, 3, 3, 14, 0)
    )
    step("priority_change", msk(2026, 3, 3, 14, 0), "critical")
    services.ticket_provide_info(
        actor=customer, ticket=ticket, body="Here.", now=msk(2026, 3, 4, 12, 0)
    )
    step("provide_info", msk(2026, 3, 4, 12, 0))
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Done.", now=msk(2026, 3, 5, 17))
    step("resolve", msk(2026, 3, 5, 17, 0))
    services.ticket_dispute(
        actor=customer, ticket=ticket, reason="Not done.", now=msk(2026, 3, 6, 10, 0)
    )
    step("dispute", msk(2026, 3, 6, 10, 0))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 6, 11, 0))
    step("take", msk(2026, 3, 6, 11, 0))
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Now.", now=msk(2026, 3, 10, 12))
    step("resolve", msk(2026, 3, 10, 12, 0))
    services.message_post(actor=customer, ticket=ticket, body="Checking.", now=msk(2026, 3, 12, 9))
    step("customer_activity", msk(2026, 3, 12, 9, 0))

    # And the command prints what the ticket stores.
    data = timeline(
        "standard",
        "high",
        *[
            (event.kind, event.at.isoformat(), *([event.priority] if event.priority else []))
            for event in events
        ],
    )
    assert data["resolution_due"] == ticket.resolution_due.astimezone(MSK).isoformat()
    assert data["auto_close_at"] == ticket.auto_close_at.astimezone(MSK).isoformat()
    assert data["confirmation_due"] == ticket.confirmation_due.astimezone(MSK).isoformat()
    assert data["resolution_met"] is ticket.resolution_met
    assert len(data["pauses"]) == 3

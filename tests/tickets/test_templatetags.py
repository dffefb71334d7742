"""How times read on the pages: in the reader's zone, with the zone named."""

import datetime

from django.utils import timezone

from tickets.templatetags.portal import until, when

# 24:00 on Friday 27 November 2026 in Moscow (UTC+3).
END_OF_FRIDAY = datetime.datetime(2026, 11, 27, 21, 0, tzinfo=datetime.UTC)


def test_it_names_the_end_of_a_day_as_24_00_of_that_day():
    with timezone.override("Europe/Moscow"):
        assert until(END_OF_FRIDAY) == "11/27/2026 24:00 MSK"
        assert when(END_OF_FRIDAY).startswith("11/28/2026")


def test_it_shows_other_deadlines_as_they_are_and_in_the_readers_zone():
    with timezone.override("Asia/Yekaterinburg"):  # UTC+5: the same instant is 02:00 there
        assert until(END_OF_FRIDAY) == when(END_OF_FRIDAY)
        assert until(END_OF_FRIDAY).startswith("11/28/2026 2")
    assert until(None) == "—"

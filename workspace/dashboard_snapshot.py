"""The dashboard's figures, computed at most once a minute and shared by everyone who looks.

At a million tickets the figures of a 90-day period read some 300,000 rows (the targets of
every ticket registered in it, the urgency of every open ticket): some 500 ms of database work
that no index can shorten, since every row counts. The figures are a summary for people who
plan, not a queue to act on (the queue is always live), so each is computed once and kept in
the cache (Redis) for FRESH_FOR; the page says as of when. The beat refreshes the periods people
usually open (the default and the last 30 and 90 days) every minute, so a page is rarely the
one that pays; any other period is computed on its first request and kept the same way.

Two parts, cached apart: what is open now (urgency, the most urgent tickets, the team's load),
the same for every period; and a period's flow, targets and deflections, one entry per period.
"""

import dataclasses
import datetime

from django.core.cache import cache

from tickets.models import Ticket
from workspace import dashboard as stats
from workspace import feedback

FRESH_FOR = datetime.timedelta(seconds=60)
KEPT_FOR = 10 * 60  # seconds in the cache: a stale entry is recomputed, never shown
PRESET_DAYS = (30, 90)  # the periods the beat keeps warm beside the default one
SHAPE = 2  # in the keys: a new shape of the kept figures is never read from an old entry


@dataclasses.dataclass(frozen=True)
class NowFigures:
    computed_at: datetime.datetime
    cells: list[stats.Cell]
    urgency: list[stats.UrgencyRow]
    worst: list[Ticket]
    team: stats.TeamLoad


@dataclasses.dataclass(frozen=True)
class PeriodFigures:
    computed_at: datetime.datetime
    weeks: list[stats.Week]
    targets: list[stats.TargetRow]
    deflections: dict[str, int]


def _compute_now(now: datetime.datetime) -> NowFigures:
    cells = stats.sla_cells()
    return NowFigures(
        computed_at=now,
        cells=cells,
        urgency=stats.urgency_now(cells, now),
        worst=stats.most_urgent(now),
        team=stats.team_load(),
    )


def _compute_period(period: stats.Period, now: datetime.datetime) -> PeriodFigures:
    return PeriodFigures(
        computed_at=now,
        weeks=stats.weekly_flow(period),
        targets=stats.targets(period, stats.sla_cells(), now),
        deflections=feedback.deflections(period),
    )


GENERATION_KEY = "dashboard:generation"


def _generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 0, None)


def forget() -> None:
    """Drop every kept figure at once (the next page computes afresh): a new generation."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing is kept under one either
        cache.set(GENERATION_KEY, 1, None)


def _now_key() -> str:
    return f"dashboard:{_generation()}:{SHAPE}:now"


def _period_key(period: stats.Period) -> str:
    bounds = f"{period.start.isoformat()}:{period.end.isoformat()}:{period.zone}"
    return f"dashboard:{_generation()}:{SHAPE}:period:{bounds}"


def _fresh(figures: object, now: datetime.datetime) -> bool:
    # Computed in the future is not fresh either: a test or a clock moved back.
    computed_at = getattr(figures, "computed_at", None)
    return computed_at is not None and datetime.timedelta(0) <= now - computed_at < FRESH_FOR


def now_figures(now: datetime.datetime, *, refresh: bool = False) -> NowFigures:
    figures = None if refresh else cache.get(_now_key())
    if not _fresh(figures, now):
        figures = _compute_now(now)
        cache.set(_now_key(), figures, KEPT_FOR)
    return figures


def period_figures(
    period: stats.Period, now: datetime.datetime, *, refresh: bool = False
) -> PeriodFigures:
    key = _period_key(period)
    figures = None if refresh else cache.get(key)
    if not _fresh(figures, now):
        figures = _compute_period(period, now)
        cache.set(key, figures, KEPT_FOR)
    return figures


def usual_periods(today: datetime.date, zone) -> list[stats.Period]:
    """The default period and the last PRESET_DAYS days, each ending today."""
    start, end = stats.default_period(today)
    periods = [stats.Period(start, end, zone)]
    periods += [
        stats.Period(today - datetime.timedelta(days=days - 1), today, zone) for days in PRESET_DAYS
    ]
    return periods


def refresh(now: datetime.datetime, zone) -> int:
    """Recompute what is open now and the usual periods (the beat, once a minute)."""
    now_figures(now, refresh=True)
    periods = usual_periods(now.astimezone(zone).date(), zone)
    for period in periods:
        period_figures(period, now, refresh=True)
    return len(periods)

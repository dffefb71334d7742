"""The default tiers and priorities (docs/regulation.md); admins edit names and criteria later.

Regulation 1.4 (the priority criteria) is not public; these texts stand in for it. Used by the
data migration and by tests that flush the database (transactional tests).
"""

from typing import Any

TIERS = [
    ("standard", "Standard", "Стандартная", False, 1),
    ("premium", "Premium", "Премиум", True, 2),
    ("platinum", "Platinum", "Платинум", True, 3),
]

PRIORITIES = [
    (
        "critical",
        "Critical",
        "Критический",
        1,
        "The product is down or a critical function is unavailable for the whole organization; "
        "traffic is not passing or protection is off; there is no workaround.",
        "Продукт не работает или критичная функция недоступна для всей организации; трафик не "
        "проходит или защита отключена; обходного решения нет.",
    ),
    (
        "high",
        "High",
        "Высокий",
        2,
        "A major function fails or performance is severely degraded for many users; a workaround "
        "exists but is hard to keep up.",
        "Важная функция не работает или производительность сильно снижена для многих "
        "пользователей; обходное решение есть, но его трудно поддерживать.",
    ),
    (
        "medium",
        "Medium",
        "Средний",
        3,
        "A function works incorrectly for some users or in some configurations; work goes on "
        "with an acceptable workaround.",
        "Функция работает неправильно для части пользователей или в некоторых конфигурациях; "
        "работа продолжается с приемлемым обходным решением.",
    ),
    (
        "low",
        "Low",
        "Низкий",
        4,
        "A question about configuration or use, a cosmetic defect, or a request for improvement; "
        "no impact on operation.",
        "Вопрос по настройке или использованию, косметический дефект или пожелание к доработке; "
        "на работу не влияет.",
    ),
]


def install(tier_model: Any, priority_model: Any) -> None:  # also given historical models
    """Create or refresh the defaults; idempotent."""
    for code, name, name_ru, extended, rank in TIERS:
        tier_model.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_ru": name_ru, "extended": extended, "rank": rank},
        )
    for code, name, name_ru, rank, criteria, criteria_ru in PRIORITIES:
        priority_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_ru": name_ru,
                "rank": rank,
                "criteria": criteria,
                "criteria_ru": criteria_ru,
            },
        )


BUSINESS = "Moscow business hours"
ROUND_THE_CLOCK = "24x7"
RUSSIAN_NAMES = {BUSINESS: "Рабочее время (Москва)", ROUND_THE_CLOCK: "Круглосуточно (24x7)"}
H = 60  # minutes in an hour of working time

# The default targets: (tier, priority) -> (reaction, resolution); each (amount, unit, calendar).
TARGETS = {
    ("standard", "critical"): ((4 * H, "minutes", BUSINESS), (3, "business_days", BUSINESS)),
    ("standard", "high"): ((8 * H, "minutes", BUSINESS), (5, "business_days", BUSINESS)),
    ("standard", "medium"): ((1, "business_days", BUSINESS), (10, "business_days", BUSINESS)),
    ("standard", "low"): ((2, "business_days", BUSINESS), (20, "business_days", BUSINESS)),
    ("premium", "critical"): (
        (1 * H, "minutes", ROUND_THE_CLOCK),
        (24 * H, "minutes", ROUND_THE_CLOCK),
    ),
    ("premium", "high"): ((4 * H, "minutes", ROUND_THE_CLOCK), (3, "business_days", BUSINESS)),
    ("premium", "medium"): ((8 * H, "minutes", BUSINESS), (7, "business_days", BUSINESS)),
    ("premium", "low"): ((1, "business_days", BUSINESS), (15, "business_days", BUSINESS)),
    ("platinum", "critical"): (
        (30, "minutes", ROUND_THE_CLOCK),
        (12 * H, "minutes", ROUND_THE_CLOCK),
    ),
    ("platinum", "high"): ((2 * H, "minutes", ROUND_THE_CLOCK), (2, "business_days", BUSINESS)),
    ("platinum", "medium"): ((4 * H, "minutes", BUSINESS), (5, "business_days", BUSINESS)),
    ("platinum", "low"): ((8 * H, "minutes", BUSINESS), (10, "business_days", BUSINESS)),
}


def install_sla(  # also given historical models
    calendar_model: Any, hours_model: Any, target_model: Any
) -> None:
    """Create the two default calendars and the target table if missing; idempotent, and it
    never overwrites what an admin changed."""
    import datetime

    # Calendars got a Russian name after migration 0004 ran this with its historical model.
    has_russian_name = any(f.name == "name_ru" for f in calendar_model._meta.get_fields())

    def named(name: str, defaults: dict) -> dict:
        return {**defaults, "name_ru": RUSSIAN_NAMES[name]} if has_russian_name else defaults

    business, created = calendar_model.objects.get_or_create(
        name=BUSINESS,
        defaults=named(
            BUSINESS,
            {
                "time_zone": "Europe/Moscow",
                "russian_production_calendar": True,
                "is_default": True,
            },
        ),
    )
    if created:
        for weekday in range(5):
            hours_model.objects.create(
                calendar=business, weekday=weekday, start=datetime.time(9), end=datetime.time(18)
            )
    always, _ = calendar_model.objects.get_or_create(
        name=ROUND_THE_CLOCK,
        defaults=named(
            ROUND_THE_CLOCK,
            {
                "time_zone": "Europe/Moscow",
                "always_open": True,
                "russian_production_calendar": False,
            },
        ),
    )
    calendars = {BUSINESS: business, ROUND_THE_CLOCK: always}
    for (tier, priority), (reaction, resolution) in TARGETS.items():
        target_model.objects.get_or_create(
            tier_id=tier,
            priority_id=priority,
            defaults={
                "reaction_amount": reaction[0],
                "reaction_unit": reaction[1],
                "reaction_calendar": calendars[reaction[2]],
                "resolution_amount": resolution[0],
                "resolution_unit": resolution[1],
                "resolution_calendar": calendars[resolution[2]],
            },
        )

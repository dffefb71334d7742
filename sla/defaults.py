"""The default tiers and priorities (PRODUCT.md §2, §6); admins edit names and criteria later.

Regulation 1.4 (the priority criteria) is not public; these texts stand in for it. Used by the
data migration and by tests that flush the database (transactional tests).
"""

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


def install(tier_model, priority_model) -> None:  # also given historical models
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

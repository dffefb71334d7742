from django.utils import timezone

from knowledge import services


def publish(engineer, *, title, body, area, language="en", tiers=()):
    article = services.article_save(
        actor=engineer, title=title, body=body, area=area, language=language, tiers=tiers
    )
    return services.article_publish(actor=engineer, article=article, now=timezone.now())

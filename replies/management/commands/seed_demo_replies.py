"""Demo canned replies (issue 18), after `seed_demo`: a few team replies in both languages and
a personal one for engineer@example.com. Idempotent: replies are matched by title and owner.

A command of its own because seed_demo lives in tickets, which never imports replies (the
layers contract); `make run` runs both.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from replies.models import CannedReply

TEAM = [
    (
        "Taken into work",
        "take",
        "Здравствуйте, {{имя_клиента}}!\n\nЗаявка {{номер_заявки}} принята в работу. "
        "Срок решения: {{срок_решения}}.\n\nС уважением,\n{{имя_инженера}}",
        "Hello {{customer_name}},\n\nTicket {{ticket_number}} is taken into work. "
        "The resolution is due by {{resolution_due}}.\n\nBest regards,\n{{engineer_name}}",
    ),
    (
        "Diagnostic bundle, please",
        "bundle",
        "Здравствуйте, {{имя_клиента}}!\n\nПришлите, пожалуйста, диагностический пакет: "
        "Настройки → Поддержка → Собрать пакет. Приложите его к заявке {{номер_заявки}}.",
        "Hello {{customer_name}},\n\nPlease send us the diagnostic bundle: Settings → "
        "Support → Collect bundle, and attach it to ticket {{ticket_number}}.",
    ),
    (
        "Fixed by the update",
        "update",
        "Ошибка исправлена в последнем обновлении. Установите его и проверьте, пожалуйста, "
        "решена ли проблема.",
        "",  # Russian only: an English customer gets the Russian text with a note
    ),
]
PERSONAL = (
    "My signature",
    "sig",
    "С уважением,\n{{имя_инженера}}, техническая поддержка",
    "Best regards,\n{{engineer_name}}, technical support",
)


class Command(BaseCommand):
    help = "Load demo canned replies (idempotent; run after seed_demo)."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        engineer = User.objects.filter(email="engineer@example.com").first()
        rows = [(None, *reply) for reply in TEAM]
        if engineer is not None:
            rows.append((engineer, *PERSONAL))
        made = 0
        for owner, title, keyword, text_ru, text_en in rows:
            _reply, created = CannedReply.objects.get_or_create(
                owner=owner,
                title=title,
                defaults={
                    "keyword": keyword,
                    "text_ru": text_ru,
                    "text_en": text_en,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            made += created
        self.stdout.write(self.style.SUCCESS(f"Canned replies ready ({made} new)."))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts import admin_icons, reference, signals, sso
        from accounts.models import User

        reference.connect_people(User)
        admin_icons.install()
        signals.connect()
        sso.connect()

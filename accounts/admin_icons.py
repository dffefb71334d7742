"""Django admin's yes/no/unknown icons with a translated text alternative.

Django 5.2 gives the icons alt="True", "False" or "None" in every language, so a screen reader
reads English on a Russian admin page. Every caller imports `_boolean_icon` from its module at
call time, so replacing it there (once, at start-up) reaches the change lists and the read-only
fields alike.
"""

from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

ICONS = {True: "yes", False: "no", None: "unknown"}


def translated_boolean_icon(value: bool | None) -> SafeString:
    words = {True: _("Yes"), False: _("No"), None: _("Unknown")}
    return format_html(
        '<img src="{}" alt="{}">', static(f"admin/img/icon-{ICONS[value]}.svg"), words[value]
    )


def install() -> None:
    admin_list._boolean_icon = translated_boolean_icon  # type: ignore[attr-defined]

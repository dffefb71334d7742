from django.db import migrations

from sla import defaults


def create_defaults(apps, schema_editor):
    defaults.install_sla(
        apps.get_model("sla", "Calendar"),
        apps.get_model("sla", "WorkingHours"),
        apps.get_model("sla", "Target"),
    )


class Migration(migrations.Migration):
    dependencies = [("sla", "0003_calendars_and_targets")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]

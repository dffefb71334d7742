from django.db import migrations

from sla import defaults


def create_defaults(apps, schema_editor):
    defaults.install(apps.get_model("sla", "Tier"), apps.get_model("sla", "Priority"))


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]

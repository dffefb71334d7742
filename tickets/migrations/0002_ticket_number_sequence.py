from django.db import migrations

from tickets import numbering


def forwards(apps, schema_editor):
    numbering.create_sequence(schema_editor)


def backwards(apps, schema_editor):
    numbering.drop_sequence(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

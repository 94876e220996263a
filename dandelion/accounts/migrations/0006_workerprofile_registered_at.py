"""Registration (报到) is the word for joining the programme: the profile's time says so."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_role_assignment"),
    ]

    operations = [
        migrations.RenameField(
            model_name="workerprofile",
            old_name="checked_in_at",
            new_name="registered_at",
        ),
    ]

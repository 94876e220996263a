"""The event table's columns take the names every workflow's event table has (data kept)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_reports_categories_routing_reports")]

    operations = [
        migrations.RenameField("reportevent", "from_status", "from_state"),
        migrations.RenameField("reportevent", "to_status", "to_state"),
        migrations.RenameField("reportevent", "actor_kind", "actor_role"),
    ]

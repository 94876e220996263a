"""Each event names its action: the status table's for a status change (`to_fixed`,
`confirm_fixed`, `reopen`, `close_confirmed`), the kind for the others (`created`, `routed`…)."""

import django.utils.translation
from django.db import migrations, models


def _status_action(event) -> str:
    if event.actor_role == "reporter":
        return "confirm_fixed" if event.to_state == "closed" else "reopen"
    if event.actor_role == "system":
        return "close_confirmed"
    return f"to_{event.to_state}"


def fill(apps, schema_editor):
    ReportEvent = apps.get_model("reports", "ReportEvent")
    for kind in ("created", "routed", "duplicate", "supported"):
        ReportEvent.objects.filter(kind=kind).update(action=kind)
    for event in ReportEvent.objects.filter(kind="status").only("pk", "to_state", "actor_role"):
        ReportEvent.objects.filter(pk=event.pk).update(action=_status_action(event))


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_report_event_common_columns")]

    operations = [
        migrations.AddField(
            model_name="reportevent",
            name="action",
            field=models.CharField(
                default="",
                max_length=32,
                verbose_name=django.utils.translation.gettext_lazy("操作"),
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

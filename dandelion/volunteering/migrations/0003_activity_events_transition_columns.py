"""Activity events get the columns of every workflow's events (`core.models.TransitionEvent`):
from_status/to_status become from_state/to_state, and each row says its action and the actor's
role (filled in for existing rows from the state it moved to and whether a person acted)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ACTION_BY_TARGET = {
    "draft": "create",
    "published": "publish",
    "cancelled": "cancel",
    "finished": "finish",
}


def fill(apps, schema_editor):
    ActivityEvent = apps.get_model("volunteering", "ActivityEvent")
    for target, action in ACTION_BY_TARGET.items():
        ActivityEvent.objects.filter(to_state=target).update(action=action)
    ActivityEvent.objects.filter(actor__isnull=True).update(actor_role="system")
    ActivityEvent.objects.filter(actor__isnull=False).update(actor_role="organiser")


class Migration(migrations.Migration):
    dependencies = [
        ("volunteering", "0002_station_visits_moved_to_stations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("activityevent", "from_status", "from_state"),
        migrations.RenameField("activityevent", "to_status", "to_state"),
        migrations.AddField(
            model_name="activityevent",
            name="action",
            field=models.CharField(default="", max_length=32, verbose_name="操作"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="activityevent",
            name="actor_role",
            field=models.CharField(default="", max_length=32, verbose_name="角色"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="activityevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="activityevent",
            name="to_state",
            field=models.CharField(max_length=32, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="activityevent",
            name="note",
            field=models.TextField(blank=True, verbose_name="说明"),
        ),
        migrations.AlterField(
            model_name="activityevent",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间"),
        ),
        migrations.AlterField(
            model_name="activityevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

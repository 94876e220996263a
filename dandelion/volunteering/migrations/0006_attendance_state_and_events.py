"""Attendance becomes a workflow (`workflow.ATTENDANCE`): a state (present, left, confirmed),
filled in for existing rows from their times, and an event table."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    Attendance = apps.get_model("volunteering", "Attendance")
    Attendance.objects.filter(confirmed_at__isnull=False).update(state="confirmed")
    Attendance.objects.filter(confirmed_at__isnull=True, left_at__isnull=False).update(
        state="left"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("volunteering", "0005_attendance_words"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="state",
            field=models.CharField(
                choices=[("present", "已签到"), ("left", "已签退"), ("confirmed", "已确认")],
                default="present",
                max_length=16,
                verbose_name="状态",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.CreateModel(
            name="AttendanceEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(max_length=32, verbose_name="操作")),
                ("from_state", models.CharField(blank=True, max_length=32, verbose_name="原状态")),
                ("to_state", models.CharField(max_length=32, verbose_name="新状态")),
                ("actor_role", models.CharField(max_length=32, verbose_name="角色")),
                ("note", models.TextField(blank=True, verbose_name="说明")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间"),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "attendance",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="volunteering.attendance",
                    ),
                ),
            ],
            options={
                "verbose_name": "签到记录变更",
                "verbose_name_plural": "签到记录变更",
                "ordering": ["created_at", "id"],
                "abstract": False,
            },
        ),
    ]

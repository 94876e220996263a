"""Sign-ups get an event table (`workflow.SIGNUP`): each sign-up, cancellation and move up
from the waiting list is one row."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("volunteering", "0003_activity_events_transition_columns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SignUpEvent",
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
                    "signup",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="volunteering.signup",
                    ),
                ),
            ],
            options={
                "verbose_name": "报名记录",
                "verbose_name_plural": "报名记录",
                "ordering": ["created_at", "id"],
                "abstract": False,
            },
        ),
    ]

"""Memberships and return-to-team declarations move through `core.workflow`: each move writes
an event row with the columns every workflow's events have (`core.models.TransitionEvent`)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _event_fields():
    return [
        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
        ("action", models.CharField(max_length=32, verbose_name="操作")),
        ("from_state", models.CharField(blank=True, max_length=32, verbose_name="原状态")),
        ("to_state", models.CharField(max_length=32, verbose_name="新状态")),
        ("actor_role", models.CharField(max_length=32, verbose_name="角色")),
        ("note", models.TextField(blank=True, verbose_name="说明")),
        ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间")),
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
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_organisations_memberships_party"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MembershipEvent",
            fields=[
                *_event_fields(),
                (
                    "membership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="orgs.membership",
                        verbose_name="成员关系",
                    ),
                ),
            ],
            options={
                "verbose_name": "成员关系记录",
                "verbose_name_plural": "成员关系记录",
                "ordering": ["created_at", "id"],
                "abstract": False,
                "indexes": [
                    models.Index(fields=["membership", "created_at"], name="membership_event_time")
                ],
            },
        ),
        migrations.CreateModel(
            name="PartyMembershipEvent",
            fields=[
                *_event_fields(),
                (
                    "party_membership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="orgs.partymembership",
                        verbose_name="党员归队",
                    ),
                ),
            ],
            options={
                "verbose_name": "党员归队记录",
                "verbose_name_plural": "党员归队记录",
                "ordering": ["created_at", "id"],
                "abstract": False,
                "indexes": [
                    models.Index(fields=["party_membership", "created_at"], name="party_event_time")
                ],
            },
        ),
    ]

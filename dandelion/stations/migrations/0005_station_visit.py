"""Station visits (驿站打卡) belong to stations: the table the visit log moves into (the rows
are copied from volunteering's in the next migration)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0004_places_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StationVisit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="日期")),
                ("visited_at", models.DateTimeField(verbose_name="打卡时间")),
                (
                    "city_code",
                    models.CharField(db_index=True, max_length=6, verbose_name="所属市代码"),
                ),
                (
                    "station",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="visits",
                        to="stations.station",
                        verbose_name="驿站",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="station_visits",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="劳动者",
                    ),
                ),
            ],
            options={
                "verbose_name": "驿站打卡",
                "verbose_name_plural": "驿站打卡",
                "ordering": ["-visited_at", "-id"],
                "indexes": [models.Index(fields=["station", "day"], name="visit_station_day")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "station", "day"), name="visit_one_per_station_day"
                    )
                ],
            },
        ),
    ]

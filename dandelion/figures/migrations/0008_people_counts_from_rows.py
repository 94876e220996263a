"""Count the rolled month and year rows already stored into `PeopleCount` (what
`figures_refresh` now keeps beside them), so figures read right without a rebuild after the
upgrade."""

from django.db import migrations
from django.db.models import Count

BATCH = 5000


def count_people(apps, schema_editor):
    FigurePerson = apps.get_model("figures", "FigurePerson")
    PeopleCount = apps.get_model("figures", "PeopleCount")
    groups = (
        FigurePerson.objects.filter(rolled=True, grain__in=("m", "y"))
        .order_by()
        .values_list("measure", "region_code", "grain", "start")
        .annotate(people=Count("pk"))
    )
    batch = []
    for measure, region_code, grain, start, people in groups.iterator():
        batch.append(
            PeopleCount(
                measure=measure, region_code=region_code, grain=grain, start=start, people=people
            )
        )
        if len(batch) >= BATCH:
            PeopleCount.objects.bulk_create(batch)
            batch = []
    PeopleCount.objects.bulk_create(batch)


def forget_counts(apps, schema_editor):
    apps.get_model("figures", "PeopleCount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("figures", "0007_people_counts")]

    operations = [migrations.RunPython(count_people, forget_counts)]

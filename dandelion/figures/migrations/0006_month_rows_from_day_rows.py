"""Sum the rolled day rows already stored into month rows (what `figures_refresh` now keeps
alongside them), so figures read right without a rebuild after the upgrade."""

from django.db import migrations
from django.db.models import Sum
from django.db.models.functions import TruncMonth

BATCH = 5000


def month_rows(apps, schema_editor):
    DailyFigure = apps.get_model("figures", "DailyFigure")
    sums = (
        DailyFigure.objects.filter(rolled=True, grain="d")
        .annotate(month=TruncMonth("day"))
        .order_by()
        .values_list("measure", "region_code", "month", "key")
        .annotate(total=Sum("value"))
    )
    batch = []
    for measure, region_code, month, key, total in sums.iterator():
        batch.append(
            DailyFigure(
                measure=measure,
                region_code=region_code,
                grain="m",
                day=month,
                key=key,
                value=total,
                rolled=True,
            )
        )
        if len(batch) >= BATCH:
            DailyFigure.objects.bulk_create(batch)
            batch = []
    DailyFigure.objects.bulk_create(batch)


def no_month_rows(apps, schema_editor):
    apps.get_model("figures", "DailyFigure").objects.filter(grain="m").delete()


class Migration(migrations.Migration):
    dependencies = [("figures", "0005_daily_month_rows")]

    operations = [migrations.RunPython(month_rows, no_month_rows)]

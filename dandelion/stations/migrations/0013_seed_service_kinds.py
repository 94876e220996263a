"""The service kinds every deployment starts with; regions may add more in the admin."""

from django.db import migrations

KINDS = [
    ("health_check", "义诊", "Free health checks", False),
    ("legal", "法律咨询", "Legal consultations", False),
    ("counselling", "心理咨询", "Counselling", False),
    ("training", "技能培训", "Skills training", False),
    ("haircut", "义剪", "Free haircuts", False),
    ("drinks_refill", "冰箱补给", "Free-drinks fridge refill", True),
    ("other", "其他", "Other", False),
]


def seed(apps, schema_editor):
    ServiceKind = apps.get_model("stations", "ServiceKind")
    for order, (code, name_zh, name_en, counts_bottles) in enumerate(KINDS, start=1):
        ServiceKind.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "counts_bottles": counts_bottles,
                "sort_order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    ServiceKind = apps.get_model("stations", "ServiceKind")
    StationServiceLog = apps.get_model("stations", "StationServiceLog")
    used = StationServiceLog.objects.values_list("kind_id", flat=True)
    ServiceKind.objects.filter(code__in=[k[0] for k in KINDS]).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("stations", "0012_service_log")]
    operations = [migrations.RunPython(seed, unseed)]

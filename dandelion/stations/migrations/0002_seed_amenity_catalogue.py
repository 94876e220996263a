"""The amenity catalogue every deployment starts with; regions may add more in the admin."""

from django.db import migrations

AMENITIES = [
    ("hot_water", "热水", "Hot water", "♨️"),
    ("drinking_water", "饮用水", "Drinking water", "🚰"),
    ("microwave", "微波炉加热", "Microwave", "🍱"),
    ("phone_charging", "手机充电", "Phone charging", "🔌"),
    ("battery_swap", "电动车换电", "E-bike battery swap", "🔋"),
    ("ebike_charging", "电动车充电", "E-bike charging", "⚡"),
    ("repair_tools", "维修工具", "Repair tools", "🔧"),
    ("toilet", "卫生间", "Toilet", "🚻"),
    ("rest_seats", "休息座椅", "Rest seats", "🪑"),
    ("air_conditioning", "空调", "Air conditioning", "❄️"),
    ("first_aid", "急救药箱", "First-aid kit", "⛑️"),
    ("umbrella", "爱心雨伞", "Umbrellas", "☂️"),
    ("books", "书报阅读", "Books and newspapers", "📚"),
    ("wifi", "无线网络", "Wi-Fi", "📶"),
    ("free_drinks", "免费饮品冰柜", "Free-drinks fridge", "🧊"),
    ("ebike_parking", "电动车停放", "E-bike parking", "🛵"),
    ("truck_parking", "货车停车", "Truck parking", "🚚"),
    ("shower", "淋浴", "Shower", "🚿"),
]


def seed(apps, schema_editor):
    Amenity = apps.get_model("stations", "Amenity")
    for order, (code, name_zh, name_en, icon) in enumerate(AMENITIES, start=1):
        Amenity.objects.update_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "icon": icon, "sort_order": order * 10},
        )


def unseed(apps, schema_editor):
    Amenity = apps.get_model("stations", "Amenity")
    Amenity.objects.filter(code__in=[a[0] for a in AMENITIES], stations=None, partners=None).delete()


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

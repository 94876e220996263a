"""A secret for each station's visit QR code (打卡码), added empty; the next migration fills it
and the one after makes it required and unique."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("stations", "0006_copy_station_visits_from_volunteering")]

    operations = [
        migrations.AddField(
            model_name="station",
            name="visit_code",
            field=models.CharField(
                max_length=64, null=True, editable=False, verbose_name="打卡码密钥"
            ),
        ),
    ]

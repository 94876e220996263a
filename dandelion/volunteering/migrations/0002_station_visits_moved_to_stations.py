"""Station visits moved to stations (`stations.StationVisit`, rows copied by stations'
0006): drop volunteering's table. Backwards, the table comes back empty and stations' 0006
copies the rows into it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("volunteering", "0001_activities_signups_attendance_visits"),
        ("stations", "0006_copy_station_visits_from_volunteering"),
    ]

    operations = [migrations.DeleteModel(name="StationVisit")]

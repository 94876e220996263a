"""Attendance (签到) in its own words: arrived/left rather than checked in/out, and the
activity's attendance code rather than a check-in token. Renames only; the data stays."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0004_signup_events")]

    operations = [
        migrations.RenameField("activity", "checkin_token", "attendance_code"),
        migrations.RemoveConstraint(model_name="attendance", name="attendance_out_after_in"),
        migrations.RenameField("attendance", "checked_in_at", "arrived_at"),
        migrations.RenameField("attendance", "checked_out_at", "left_at"),
        migrations.RenameField("attendance", "check_in_method", "arrival_method"),
        migrations.RenameField("attendance", "check_out_method", "leaving_method"),
        migrations.AlterModelOptions(
            name="attendance",
            options={
                "ordering": ["arrived_at", "id"],
                "verbose_name": "签到记录",
                "verbose_name_plural": "签到记录",
            },
        ),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.CheckConstraint(
                condition=models.Q(("left_at__isnull", True))
                | models.Q(("left_at__gte", models.F("arrived_at"))),
                name="attendance_left_after_arrival",
            ),
        ),
    ]

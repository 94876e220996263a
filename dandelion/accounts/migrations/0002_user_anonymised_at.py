# Deleted accounts keep their row, anonymised; this records when.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='anonymised_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='注销时间'),
        ),
    ]

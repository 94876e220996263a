# Online check-in: the worker profile with consent.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_phone_codes_and_api_tokens'),
        ('regions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkerProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('occupation', models.CharField(choices=[('delivery_rider', '外卖骑手'), ('courier', '快递员'), ('ride_hailing_driver', '网约车司机'), ('truck_driver', '货车司机'), ('other', '其他')], max_length=32, verbose_name='职业')),
                ('platform', models.CharField(choices=[('meituan', '美团'), ('eleme', '饿了么'), ('sf_express', '顺丰速运'), ('jd_logistics', '京东物流'), ('didi', '滴滴出行'), ('huolala', '货拉拉'), ('dada', '达达'), ('zto', '中通快递'), ('yto', '圆通速递'), ('sto', '申通快递'), ('yunda', '韵达快递'), ('jt_express', '极兔速递'), ('ems', '中国邮政 EMS'), ('other', '其他')], max_length=32, verbose_name='所属平台')),
                ('platform_other', models.CharField(blank=True, help_text='When the platform is “other”.', max_length=100, verbose_name='其他平台')),
                ('is_volunteer', models.BooleanField(default=False, verbose_name='愿意做志愿者')),
                ('skills', models.JSONField(blank=True, default=list, verbose_name='技能')),
                ('real_name', models.CharField(blank=True, max_length=50, verbose_name='真实姓名')),
                ('consent_policy_version', models.CharField(max_length=32, verbose_name='同意的隐私政策版本')),
                ('consented_at', models.DateTimeField(verbose_name='同意时间')),
                ('consent_withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='撤回同意时间')),
                ('checked_in_at', models.DateTimeField(verbose_name='报到时间')),
                ('updated_at', models.DateTimeField(verbose_name='更新时间')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='worker_profile', to=settings.AUTH_USER_MODEL)),
                ('work_region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='worker_profiles', to='regions.region', verbose_name='主要工作街道')),
            ],
            options={
                'verbose_name': '劳动者档案',
                'verbose_name_plural': '劳动者档案',
                'indexes': [models.Index(fields=['work_region', 'occupation'], name='profile_region_occ')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('platform', 'other'), _negated=True), models.Q(('platform_other', ''), _negated=True), _connector='OR'), name='profile_other_platform_named')],
            },
        ),
    ]

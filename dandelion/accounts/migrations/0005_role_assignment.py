# Staff roles over exactly one scope: region, organisation or station.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_worker_profile'),
        ('orgs', '0001_organisations_memberships_party'),
        ('regions', '0001_initial'),
        ('stations', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='RoleAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('region_admin', '区域管理员'), ('dispatcher', '调度员'), ('department_handler', '部门经办人'), ('station_manager', '驿站管理员'), ('organiser', '组织者（队长、支部负责人）'), ('party_officer', '党建工作人员'), ('auditor', '审计员（只读）')], max_length=32, verbose_name='角色')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='授权时间')),
                ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='授权人')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='role_assignments', to='orgs.organisation', verbose_name='组织')),
                ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='role_assignments', to='regions.region', verbose_name='区域')),
                ('station', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='role_assignments', to='stations.station', verbose_name='驿站')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_assignments', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '角色授权',
                'verbose_name_plural': '角色授权',
                'ordering': ['user_id', 'role', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('organisation__isnull', True), ('region__isnull', False), ('station__isnull', True)), models.Q(('organisation__isnull', False), ('region__isnull', True), ('station__isnull', True)), models.Q(('organisation__isnull', True), ('region__isnull', True), ('station__isnull', False)), _connector='OR'), name='role_exactly_one_scope'), models.UniqueConstraint(condition=models.Q(('region__isnull', False)), fields=('user', 'role', 'region'), name='role_unique_region'), models.UniqueConstraint(condition=models.Q(('organisation__isnull', False)), fields=('user', 'role', 'organisation'), name='role_unique_organisation'), models.UniqueConstraint(condition=models.Q(('station__isnull', False)), fields=('user', 'role', 'station'), name='role_unique_station')],
            },
        ),
    ]

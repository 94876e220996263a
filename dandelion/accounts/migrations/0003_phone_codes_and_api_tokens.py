# Sign-in: one-time codes (hashed) and bearer tokens (hashed).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_user_anonymised_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PhoneCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phone', models.CharField(db_index=True, max_length=11, verbose_name='手机号')),
                ('code_hash', models.CharField(max_length=64)),
                ('salt', models.CharField(max_length=32)),
                ('created_at', models.DateTimeField(verbose_name='发送时间')),
                ('expires_at', models.DateTimeField(verbose_name='过期时间')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='错误次数')),
                ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='使用时间')),
            ],
            options={
                'verbose_name': '验证码',
                'verbose_name_plural': '验证码',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['phone', 'created_at'], name='phonecode_phone_time')],
                'constraints': [models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('created_at'))), name='phonecode_expires_after')],
            },
        ),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(blank=True, max_length=100, verbose_name='名称')),
                ('key_prefix', models.CharField(max_length=12, verbose_name='前缀')),
                ('key_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(verbose_name='签发时间')),
                ('expires_at', models.DateTimeField(verbose_name='过期时间')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='最近使用')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='吊销时间')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'API 令牌',
                'verbose_name_plural': 'API 令牌',
                'ordering': ['-created_at', '-id'],
            },
        ),
    ]

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dandelion.accounts"
    label = "accounts"
    verbose_name = "账户"

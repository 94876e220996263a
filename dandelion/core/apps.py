from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dandelion.core"
    label = "core"
    verbose_name = "核心"

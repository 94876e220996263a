from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dandelion.web"
    label = "web"
    verbose_name = "网页"

from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "dandelion.stations"
    label = "stations"
    verbose_name = "驿站"

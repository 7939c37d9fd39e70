from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "conet.api"
    label = "api"
    verbose_name = "API"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "smartdialog.core"
    label = "core"

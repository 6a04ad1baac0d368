from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "smartdialog.contests"
    label = "contests"

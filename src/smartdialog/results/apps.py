from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "smartdialog.results"
    label = "results"

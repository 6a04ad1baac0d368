from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "smartdialog.submissions"
    label = "submissions"

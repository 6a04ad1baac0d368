from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "smartdialog.voting"
    label = "voting"

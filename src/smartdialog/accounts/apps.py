from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "smartdialog.accounts"
    label = "accounts"

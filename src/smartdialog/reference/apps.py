from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "smartdialog.reference"
    label = "reference"

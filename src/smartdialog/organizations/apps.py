from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "smartdialog.organizations"
    label = "organizations"

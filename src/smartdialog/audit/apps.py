from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "smartdialog.audit"
    label = "audit"

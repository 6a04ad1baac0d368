from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "smartdialog.notifications"
    label = "notifications"

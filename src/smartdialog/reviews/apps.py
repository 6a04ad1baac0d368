from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "smartdialog.reviews"
    label = "reviews"

    def ready(self):
        from . import decisions  # noqa: F401  (registers the guard that freezes decisions)

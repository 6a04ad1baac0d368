from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "smartdialog.reviews"
    label = "reviews"

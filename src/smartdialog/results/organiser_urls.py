from django.urls import path

from .views import analytics

app_name = "results_admin"

urlpatterns = [
    path("", analytics.page, name="analytics"),
]

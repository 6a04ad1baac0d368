from django.urls import path

from .views import organiser

app_name = "vote_admin"

urlpatterns = [
    path("", organiser.dashboard, name="dashboard"),
    path("ballot/", organiser.configure, name="configure"),
    path("exclusions/", organiser.exclusions, name="exclusions"),
    path("exclusions/<int:pk>/restore/", organiser.restore, name="restore"),
]

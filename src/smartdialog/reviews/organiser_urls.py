from django.urls import path

from .views import organiser

app_name = "reviews_admin"

urlpatterns = [
    path("", organiser.dashboard, name="dashboard"),
    path("settings/", organiser.save_settings, name="settings"),
    path("assignment/run/", organiser.run_assignment, name="run"),
    path("assignment/status/", organiser.run_status, name="run_status"),
    path("close/", organiser.close, name="close"),
    path("experts/", organiser.experts, name="experts"),
    path("experts/invite/", organiser.invite, name="invite"),
    path("experts/<int:pk>/", organiser.expert_edit, name="expert_edit"),
    path("nominations/<int:pk>/assignments/", organiser.assignments, name="assignments"),
    path("nominations/<int:pk>/assign/", organiser.assign, name="assign"),
    path("assignments/<int:pk>/withdraw/", organiser.withdraw, name="withdraw"),
    path("nominations/<int:pk>/ranking/", organiser.ranking, name="ranking"),
    path("nominations/<int:pk>/finalists/", organiser.finalists_page, name="finalists"),
    path("nominations/<int:pk>/shortfall/", organiser.shortfall, name="shortfall"),
]

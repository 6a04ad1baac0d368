from django.urls import path

from .views import intake

app_name = "intake"

urlpatterns = [
    path("", intake.dashboard, name="dashboard"),
    path("export.csv", intake.export_csv, name="export_csv"),
    path("export.xlsx", intake.export_xlsx, name="export_xlsx"),
]

from django.urls import path

from .views import data

app_name = "results_data"

urlpatterns = [
    path("", data.index, name="index"),
    path("report.pdf", data.report_pdf, name="report"),
    path("archive.zip", data.archive, name="archive"),
    path("votes.<slug:extension>", data.votes, name="votes"),
    path("analytics/<slug:slug>.<slug:extension>", data.analytics_table, name="analytics"),
    path("<slug:slug>.<slug:extension>", data.table, name="table"),
]

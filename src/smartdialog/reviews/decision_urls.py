"""Working groups and decisions, under /manage/<year>/working-groups/."""

from django.urls import path

from .views import decisions as views

app_name = "decisions"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("add/", views.group_edit, name="create"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/settings/", views.group_edit, name="edit"),
    path("<int:pk>/nominations/<int:nomination_pk>/decide/", views.record, name="record"),
    path("decisions/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("decisions/<int:pk>/protocol.pdf", views.protocol, name="protocol"),
]

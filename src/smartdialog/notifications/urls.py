from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", views.retry, name="retry"),
    path("templates/", views.templates, name="templates"),
    path("templates/<str:key>/<str:language>/", views.template_edit, name="template_edit"),
    path("templates/<str:key>/<str:language>/reset/", views.template_reset, name="template_reset"),
]

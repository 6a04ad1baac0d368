from django.urls import path

from .views import certificates

app_name = "certificates_admin"

urlpatterns = [
    path("", certificates.manage, name="index"),
    path("<int:pk>/revoke/", certificates.revoke, name="revoke"),
]

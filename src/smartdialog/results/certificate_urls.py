from django.urls import path

from .views import certificates

app_name = "certificates"

urlpatterns = [
    path("", certificates.verify, name="verify"),
    path("mine/", certificates.mine, name="mine"),
    path("<str:code>/", certificates.detail, name="detail"),
    path("<str:code>/pdf/", certificates.pdf, name="pdf"),
]

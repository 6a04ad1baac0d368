from django.urls import path

from .views import expert

app_name = "expert"

urlpatterns = [
    path("", expert.home, name="home"),
    path("invitations/<int:pk>/respond/", expert.respond, name="respond"),
    path("assignments/<int:pk>/", expert.review, name="review"),
    path("assignments/<int:pk>/files/<int:attachment_id>/", expert.download, name="download"),
    path("assignments/<int:pk>/conflict/", expert.conflict, name="conflict"),
]

from django.urls import path

from .views import moderation

app_name = "moderation"

urlpatterns = [
    path("", moderation.queue, name="queue"),
    path("bulk/", moderation.bulk, name="bulk"),
    path("<int:pk>/", moderation.review, name="review"),
    path("<int:pk>/decide/", moderation.decide, name="decide"),
    path("<int:pk>/assign/", moderation.assign, name="assign"),
    path("<int:pk>/move/", moderation.move, name="move"),
    path("<int:pk>/extend/", moderation.extend, name="extend"),
]

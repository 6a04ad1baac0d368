from django.urls import path

from .views import press

app_name = "press"

urlpatterns = [
    path("", press.index, name="index"),
    path("new/", press.create, name="create"),
    path("<int:pk>/", press.edit, name="edit"),
    path("<int:pk>/publish/", press.publish, name="publish"),
    path("<int:pk>/unpublish/", press.unpublish, name="unpublish"),
    path("<int:pk>/numbers/", press.numbers, name="numbers"),
]

from django.urls import path

from .views import public

app_name = "results"

urlpatterns = [
    path("", public.index, name="index"),
    path("practice/<int:submission_id>/", public.practice, name="practice"),
    path("regions/", public.regions, name="regions"),
    path("regions/<str:code>/", public.region, name="region"),
    path("publish/", public.publish, name="publish"),
    path("withdraw/", public.withdraw, name="withdraw"),
]

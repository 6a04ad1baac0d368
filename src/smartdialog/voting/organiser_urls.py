from django.urls import path

from .views import organiser, review

app_name = "vote_admin"

urlpatterns = [
    path("", organiser.dashboard, name="dashboard"),
    path("ballot/", organiser.configure, name="configure"),
    path("exclusions/", organiser.exclusions, name="exclusions"),
    path("exclusions/<int:pk>/restore/", organiser.restore, name="restore"),
    path("review/", review.index, name="review"),
    path("review/<slug:signal>/", review.group, name="review_group"),
    path("review/<slug:signal>/exclude/", review.exclude, name="review_exclude"),
    path("review/<slug:signal>/restore/", review.restore, name="review_restore"),
]

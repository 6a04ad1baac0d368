from django.urls import path

from .views import applicant

app_name = "submissions"

urlpatterns = [
    path("submissions/", applicant.my_submissions, name="list"),
    path("submissions/new/", applicant.create, name="create"),
    path("submissions/<int:pk>/", applicant.detail, name="detail"),
    path("submissions/<int:pk>/edit/", applicant.edit, name="edit"),
    path("submissions/<int:pk>/submit/", applicant.submit, name="submit"),
    path("submissions/<int:pk>/withdraw/", applicant.withdraw, name="withdraw"),
    path("submissions/<int:pk>/files/", applicant.upload, name="upload"),
    path("submissions/<int:pk>/files/<int:attachment_id>/", applicant.download, name="download"),
    path(
        "submissions/<int:pk>/files/<int:attachment_id>/remove/",
        applicant.remove_file,
        name="remove_file",
    ),
]

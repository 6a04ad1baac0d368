from django.urls import path

from .views import citizen

app_name = "vote"

# The citizen's path (identification and the ballot).
urlpatterns = [
    path("", citizen.start, name="start"),
    path("code/", citizen.code, name="code"),
    path("region/", citizen.region, name="region"),
    path("ballot/", citizen.ballot, name="ballot"),
    path("confirm/", citizen.confirm, name="confirm"),
    path("done/", citizen.done, name="done"),
    path("leave/", citizen.leave, name="leave"),
]

# The sealed log (voting core): receipt check, chain head, downloads.
from .views import log as log_views  # noqa: E402

urlpatterns += [
    path("receipt/", log_views.receipt, name="receipt"),
    path("log/", log_views.chain, name="log"),
    path("log/votes.csv", log_views.log_download, name="log_download"),
    path("log/batches.csv", log_views.batches_download, name="log_batches"),
]

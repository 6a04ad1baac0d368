"""Fetch-and-authorise for back-office views: one place that answers 404, login or 403."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def edition_permission(perm: str):
    """Load the edition named by `year` in the URL and require `perm` on it.

    Anonymous GETs go to the login page; every other refusal is a 403, including an
    anonymous POST, so a form posted without rights never changes anything.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, year, *args, **kwargs):
            from smartdialog.contests.models import Edition

            edition = get_object_or_404(Edition, year=year)
            if not request.user.has_perm(perm, edition):
                if not request.user.is_authenticated and request.method == "GET":
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, edition, *args, **kwargs)

        return wrapped

    return decorator

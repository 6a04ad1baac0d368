"""`core.csrf.token`: the same tokens as Django's `get_token`, accepted by its middleware."""

import collections

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CsrfViewMiddleware,
    _unmask_cipher_token,
    get_token,
)
from django.test import RequestFactory

from smartdialog.core import csrf


def _through_middleware(request, view):
    middleware = CsrfViewMiddleware(lambda r: view(r))
    return middleware(request)


def _page(request):
    """A GET page with a form: the token it shows and the cookie the middleware sets."""
    holder = {}

    def view(r):
        holder["token"] = csrf.token(r)
        return HttpResponse("form")

    response = _through_middleware(request, view)
    return holder["token"], response.cookies[settings.CSRF_COOKIE_NAME].value


def _post(secret, token):
    request = RequestFactory().post("/", {"csrfmiddlewaretoken": token})
    request.COOKIES[settings.CSRF_COOKIE_NAME] = secret
    middleware = CsrfViewMiddleware(lambda r: HttpResponse("ok"))
    return middleware.process_view(request, lambda r: None, (), {})


def test_a_new_visitor_gets_a_secret_cookie_and_a_token_the_middleware_accepts():
    token, secret = _page(RequestFactory().get("/"))
    assert (len(token), len(secret)) == (64, 32)
    assert set(token + secret) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    assert _post(secret, token) is None  # None: the middleware lets the POST through
    assert _post(secret, "x" * 64) is not None  # a 403


def test_a_returning_visitor_keeps_the_secret_and_gets_a_fresh_mask():
    request = RequestFactory().get("/")
    request.COOKIES[settings.CSRF_COOKIE_NAME] = "a" * 32
    first, kept = _page(request)
    again = RequestFactory().get("/")
    again.COOKIES[settings.CSRF_COOKIE_NAME] = kept
    second, _kept = _page(again)
    assert kept == "a" * 32
    assert first != second
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == kept
    assert _post(kept, second) is None


def test_tokens_mix_with_djangos_own():
    """A token from `get_token` and one from `csrf.token` on the same request share the
    secret."""
    request = RequestFactory().get("/")
    CsrfViewMiddleware(lambda r: HttpResponse()).process_request(request)
    ours, django = csrf.token(request), get_token(request)
    assert _unmask_cipher_token(ours) == _unmask_cipher_token(django)


def test_random_strings_use_every_character():
    seen = collections.Counter("".join(csrf._random_string() for _ in range(200)))
    assert set(seen) == set(CSRF_ALLOWED_CHARS)

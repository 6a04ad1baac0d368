import pytest
from django.core.exceptions import ImproperlyConfigured

from smartdialog.env import envbool, envint


def test_envbool_refuses_anything_but_true_or_false(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be True or False"):
        envbool("FLAG", False)
    monkeypatch.setenv("FLAG", "True")
    assert envbool("FLAG", False) is True


def test_envint_refuses_a_non_number(monkeypatch):
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="PORT must be an integer"):
        envint("PORT", 1)

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


def _settings_value(expression: str, **env) -> str:
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", f"import smartdialog.settings as s; print({expression})"],
        env=os.environ | env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip() or result.stderr.strip().splitlines()[-1]


def test_vote_rate_limits_can_be_overridden_from_the_environment():
    value = _settings_value(
        "s.VOTE_RATE_LIMITS['vote_ip'], s.VOTE_RATE_LIMITS['vote_voter']",
        VOTE_RATE_LIMITS='{"vote_ip": [[100, 3600]]}',
    )
    assert value == "[[100, 3600]] [(10, 3600)]"  # the others keep their defaults
    assert "VOTE_RATE_LIMITS must be" in _settings_value("1", VOTE_RATE_LIMITS="[1, 2]")

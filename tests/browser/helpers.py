"""Steps several browser tests take."""

from playwright.sync_api import expect


def log_in(page, base, email, password):
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".who")).to_have_text(email)


def log_out(page):
    page.get_by_role("button", name="Выйти").click()


def verified(*users):
    """Mark e-mail addresses confirmed, as allauth requires before a password login."""
    from allauth.account.models import EmailAddress

    for user in users:
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )

def navigation(request):
    """What the header needs: whether to show the back-office link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_manage": False}
    from smartdialog.accounts.selectors import editions_with_roles, staff_editions

    return {
        "can_manage": staff_editions(user).exists(),
        "is_expert": editions_with_roles(user, ["expert"]).exists(),
    }

"""Content in two languages: the Russian field is required, its `_en` twin is optional."""

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "ru").startswith("en")


class Localized:
    """Attribute that reads `<field>_en` under English when it is filled, else `<field>`."""

    def __init__(self, field: str):
        self.field = field

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        if is_english():
            english = getattr(obj, f"{self.field}_en", "")
            if english:
                return english
        return getattr(obj, self.field)

"""Mail template text is Django template syntax; a mistake is refused before it is saved."""

from django.core.exceptions import ValidationError
from django.template import Engine, TemplateSyntaxError
from django.utils.translation import gettext as _

# A bare engine: built-in tags and filters only, no loaders, no HTML escaping (plain text).
MAIL_ENGINE = Engine(autoescape=False)


def validate_template_syntax(text: str) -> None:
    try:
        MAIL_ENGINE.from_string(text)
    except TemplateSyntaxError as error:
        raise ValidationError(
            _("Template syntax error: %(error)s Check that every {{ }} and tag is closed.")
            % {"error": error},
            code="template_syntax",
        ) from None

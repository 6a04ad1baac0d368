"""`{% cartogram values label="…" link="/results/2023/?region={code}" %}` in templates."""

from django import template

from smartdialog.results import cartogram as maps

register = template.Library()


@register.simple_tag
def cartogram(values, *, label="", link=""):
    """`link` is a URL pattern with `{code}` for the region code; without it no tile links."""
    return maps.render(
        values or {}, label=label, link=(lambda code: link.format(code=code)) if link else None
    )

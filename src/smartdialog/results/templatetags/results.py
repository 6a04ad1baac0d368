"""`{% cell row column %}`: one value of a results `Table` as the page shows it."""

import datetime
from decimal import Decimal

from django import template
from django.utils.formats import date_format, number_format
from django.utils.html import format_html

register = template.Library()

MISSING = "—"


def shown(value) -> str:
    """Numbers grouped and with the locale's decimal mark; a missing figure as a dash."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return number_format(value, force_grouping=True)
    if isinstance(value, datetime.date):
        return date_format(value, "d.m.Y")
    return str(value)


@register.simple_tag
def cell(row: dict, column):
    text = shown(row.get(column.key))
    url = row.get(column.link) if column.link else ""
    return format_html('<a href="{}">{}</a>', url, text) if url else text


@register.filter
def num(value):
    return shown(value)

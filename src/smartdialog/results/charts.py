"""Bar charts as inline SVG, written here (no chart library, nothing from the network).

The SVG scales with its box (viewBox, width 100 %), every bar carries a <title> with its
label and value, and the page always shows the same numbers in a table beside it, so the
picture is never the only way to read them.
"""

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
HEIGHT = 180
AXIS = 16
"""Room under the bars for the first, middle and last labels."""


def bars(points: list[tuple[str, int]], *, label: str) -> SafeString:
    """Vertical bars, one per (label, value), heights proportional to the largest value."""
    if not points:
        return SafeString("")
    top = max(value for _label, value in points) or 1
    step = WIDTH / len(points)
    gap = min(2.0, step / 4)
    plot = HEIGHT - AXIS
    rects = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                f"{i * step + gap / 2:.1f}",
                f"{plot - value / top * plot:.1f}",
                f"{step - gap:.1f}",
                f"{value / top * plot:.1f}",
                text,
                number_format(value, force_grouping=True),
            )
            for i, (text, value) in enumerate(points)
        ),
    )
    marks = {0: "start", len(points) // 2: "middle", len(points) - 1: "end"}
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="{}">{}</text>',
        (
            (f"{(i + 0.5) * step:.1f}", HEIGHT - 3, anchor, points[i][0])
            for i, anchor in sorted(marks.items())
        ),
    )
    return format_html(
        '<svg class="bars" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">'
        '<g class="bar">{}</g><g class="tick">{}</g></svg>',
        WIDTH,
        HEIGHT,
        label,
        rects,
        ticks,
    )

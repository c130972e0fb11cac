from django import template

from plan import formatting

register = template.Library()


@register.filter
def amount(value):
    """11722205 -> 「11,722,205」 (千元)."""
    return formatting.amount_text(value)


@register.filter
def amount_reading(value):
    """11722205 -> 「約 117.22 億元」."""
    return formatting.amount_reading(value)


@register.filter
def duration(value):
    """timedelta(hours=2) -> 「2 小時」."""
    return formatting.duration_text(value)


@register.simple_tag
def share(part, whole, places=1):
    return formatting.share_text(part, whole, places)

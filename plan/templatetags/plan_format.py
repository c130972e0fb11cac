from datetime import datetime

from django import template
from django.utils import timezone

from plan.reading import formatting

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
def signed_amount(value):
    """1234 -> 「+1,234」 (a change in 千元)."""
    return formatting.signed_amount_text(value)


@register.filter
def signed_percent(value):
    """Decimal("12.5") -> 「+12.5%」."""
    return formatting.signed_percent_text(value)


@register.filter
def per_resident(value, population):
    """11722205 with a Population -> 「4,292 元」: the amount per resident."""
    return formatting.per_resident_text(value, population.residents if population else None)


@register.filter
def duration(value):
    """timedelta(hours=2) -> 「2 小時」."""
    return formatting.duration_text(value)


@register.simple_tag
def share(part, whole, places=1):
    return formatting.share_text(part, whole, places)


@register.filter
def datetime_attribute(value: datetime | None) -> str:
    """A moment for `<time datetime>`: local time to the second with its offset,
    「2025-03-04T16:25:46+08:00」. HTML allows at most three digits of a fraction of a second;
    Django's `date:'c'` writes six."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds")


@register.filter
def fiscal_year(value):
    """A plan or a fiscal year -> 「114 年度」, "FY2025" on English pages."""
    return formatting.fiscal_year_text(getattr(value, "fiscal_year", value))

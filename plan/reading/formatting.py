"""Amount formatting, in one place: 千元 with thousands separators, and 億/萬 readings (and
durations, for the few places that state one), in the page's language: on English pages the
readings are NT$ billion/million.

Amounts are stored in 千元 (thousand NT$). 1 億元 = 100,000 千元; 1 萬元 = 10 千元;
NT$1 billion = 1,000,000 千元; NT$1 million = 1,000 千元.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from plan.addresses.languages import is_english

THOUSANDS_PER_YI = 100_000
THOUSANDS_PER_WAN = 10
THOUSANDS_PER_BILLION = 1_000_000
THOUSANDS_PER_MILLION = 1_000


def amount_text(amount: int | None) -> str:
    """「11,722,205」: the printed 千元 figure."""
    if amount is None:
        return "—"
    return f"{amount:,}"


def amount_reading(amount: int | None) -> str:
    """The amount as people say it: 億元 from 1 億 (one decimal), 萬元 below (whole 萬 from
    100 萬, one decimal under), with 「約」 when the reading is rounded: 約 117.2 億元,
    約 4,267 萬元, 68.8 萬元."""
    if amount is None:
        return ""
    if is_english():
        return english_amount_reading(amount)
    if amount >= THOUSANDS_PER_YI:
        exact, places = Decimal(amount) / THOUSANDS_PER_YI, Decimal("0.1")
        unit = "億元"
    else:
        exact = Decimal(amount) / THOUSANDS_PER_WAN
        places = Decimal("1") if exact >= 100 else Decimal("0.1")
        unit = "萬元"
    rounded = exact.quantize(places, ROUND_HALF_UP)
    prefix = "" if rounded == exact else "約 "
    shown = rounded.normalize() if rounded == rounded.to_integral_value() else rounded
    return f"{prefix}{shown:,f} {unit}"


def english_amount_reading(amount: int) -> str:
    """The English reading: NT$ billion (two decimals) from NT$1 billion, NT$ million (one
    decimal) from NT$1 million, the exact NT$ below, with "about" when rounded:
    about NT$11.72 billion, about NT$42.7 million, NT$688,000."""
    if amount >= THOUSANDS_PER_BILLION:
        exact, places, unit = Decimal(amount) / THOUSANDS_PER_BILLION, Decimal("0.01"), "billion"
    elif amount >= THOUSANDS_PER_MILLION:
        exact, places, unit = Decimal(amount) / THOUSANDS_PER_MILLION, Decimal("0.1"), "million"
    else:
        return f"NT${amount * 1000:,}"
    rounded = exact.quantize(places, ROUND_HALF_UP)
    prefix = "" if rounded == exact else "about "
    shown = rounded.normalize() if rounded == rounded.to_integral_value() else rounded
    return f"{prefix}NT${shown:,f} {unit}"


def per_resident_text(amount: int | None, residents: int | None) -> str:
    """What an amount in 千元 comes to per resident, in 元: 「4,292 元」 (「0.3 元」 under 10)."""
    if amount is None or not residents:
        return ""
    each = Decimal(amount) * 1000 / residents
    places = Decimal("1") if each >= 10 else Decimal("0.1")
    shown = each.quantize(places, ROUND_HALF_UP)
    return f"NT${shown:,f}" if is_english() else f"{shown:,f} 元"


def share(part: int | None, whole: int | None) -> Decimal | None:
    """The share of `part` in `whole` as a percentage (Decimal), None when not computable."""
    if part is None or not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


def share_text(part: int | None, whole: int | None, places: int = 1) -> str:
    value = share(part, whole)
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, ROUND_HALF_UP)
    if rounded == 0 and value > 0:
        return f"<{quantum}%"
    return f"{rounded}%"


def shares_text(amounts: list[int | None], whole: int | None, places: int = 1) -> list[str]:
    """Shares of `whole` for sibling amounts, rounded so that the shown shares add up to 100%.

    Largest-remainder rounding: each share is rounded down to `places` decimals, then the units
    still missing are given to the largest remainders. A share that is not zero but shows as
    zero is written 「<0.1%」.
    """
    if not whole or any(amount is None for amount in amounts) or sum(amounts) != whole:
        return [share_text(amount, whole, places) for amount in amounts]
    scale = 10**places
    exact = [Decimal(amount) * 100 * scale / whole for amount in amounts]
    floors = [int(value) for value in exact]
    missing = 100 * scale - sum(floors)
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - floors[i], reverse=True)
    for index in by_remainder[:missing]:
        floors[index] += 1
    quantum = Decimal(1).scaleb(-places)
    texts = []
    for amount, units in zip(amounts, floors, strict=True):
        if units == 0 and amount > 0:
            texts.append(f"<{quantum}%")
        else:
            texts.append(f"{(Decimal(units) / scale).quantize(quantum)}%")
    return texts


def duration_text(duration: timedelta) -> str:
    """2 hours -> 「2 小時」; 90 minutes -> 「1 小時 30 分鐘」; 30 minutes -> 「30 分鐘」."""
    hours, minutes = divmod(round(duration.total_seconds() / 60), 60)
    if is_english():
        hour_text = f"{hours} hour{'s' if hours != 1 else ''}"
        minute_text = f"{minutes} minute{'s' if minutes != 1 else ''}"
    else:
        hour_text, minute_text = f"{hours} 小時", f"{minutes} 分鐘"
    parts = [hour_text] if hours else []
    if minutes or not hours:
        parts.append(minute_text)
    return " ".join(parts)


def signed_amount_text(amount: int | None) -> str:
    """「+1,234」, 「−567」 or 「0」: a change in 千元, with its sign."""
    if amount is None:
        return "—"
    if amount > 0:
        return f"+{amount:,}"
    if amount < 0:
        return f"−{-amount:,}"
    return "0"


def signed_percent_text(value) -> str:
    """「+12.5%」, 「−3.0%」: a change in percent (a Decimal with its places), with its sign."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{value}%"
    if value < 0:
        return f"−{-value}%"
    return "0%"


def fiscal_year_text(fiscal_year: int) -> str:
    """「114 年度」; in English "FY2025": the ROC year 114 is 2025 (ROC year + 1911)."""
    if is_english():
        return f"FY{fiscal_year + 1911}"
    return f"{fiscal_year} 年度"

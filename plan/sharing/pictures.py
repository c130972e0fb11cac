"""Pictures for shared links (Open Graph, 1200×630 PNG): a record's name, amount and share on
the site's colours, drawn on the server with Noto Sans CJK so that Chinese shows in LINE and
Facebook previews. The page cache keeps each one like a page. Without the fonts `manage.py
check` warns (plan.W001)."""

import io
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.checks import Warning, register
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND = (8, 63, 119)  # the header's --accent-dark
TEXT = (255, 255, 255)
SOFT = (200, 218, 238)
BAR_TRACK = (36, 92, 148)
BAR = (242, 180, 0)
# Noto Sans CJK collections hold JP, KR, SC, TC and HK faces; TC is the fourth.
TC_FACE = 3


@dataclass(frozen=True)
class Card:
    kicker: str  # e.g. 「114 年度施政計畫・目級預算項目」
    title: str
    figure: str = ""  # e.g. 「約 76.4 億元」
    detail: str = ""  # e.g. 「7,641,832 千元・占全部預算 65.2%」
    share: float | None = None  # 0..100, drawn as a bar
    site: str = "高雄市政府警察局施政計畫"


def available() -> bool:
    """Whether the fonts are installed (Debian's fonts-noto-cjk). Without them pages carry no
    og:image and the picture addresses answer 404: a picture of empty boxes is worse than none."""
    return all(Path(path).is_file() for path in settings.OG_FONTS.values())


@register()
def share_picture_fonts(app_configs, **kwargs):
    """A system check: the site runs without the fonts, but should say it lacks them."""
    if available():
        return []
    return [
        Warning(
            "Noto Sans CJK is not installed: shared links will have no picture (og:image).",
            hint="apt-get install fonts-noto-cjk, or point OG_FONT_DIR at the fonts.",
            id="plan.W001",
        )
    ]


@lru_cache(maxsize=16)
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    path = settings.OG_FONTS[weight]
    return ImageFont.truetype(str(path), size, index=TC_FACE)


def _lines(text: str, font: ImageFont.FreeTypeFont, width: int, most: int) -> list[str]:
    """Wrap CJK text (no spaces to break at) to `width` pixels, at most `most` lines."""
    per_line = max(int(width / font.getlength("國")), 1)
    lines = textwrap.wrap(text, per_line) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: per_line - 1] + "…"
    return lines


def render(card: Card) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    usable = WIDTH - 2 * MARGIN
    y = MARGIN
    draw.text((MARGIN, y), card.kicker, font=_font("regular", 34), fill=SOFT)
    y += 64
    title_font = _font("bold", 64 if len(card.title) <= 16 else 54)
    for line in _lines(card.title, title_font, usable, 3):
        draw.text((MARGIN, y), line, font=title_font, fill=TEXT)
        y += int(title_font.size * 1.3)
    if card.figure:
        y += 16
        draw.text((MARGIN, y), card.figure, font=_font("bold", 72), fill=BAR)
        y += 96
    if card.detail:
        draw.text((MARGIN, y), card.detail, font=_font("regular", 36), fill=TEXT)
        y += 56
    if card.share is not None:
        top = HEIGHT - MARGIN - 56 - 24
        draw.rounded_rectangle((MARGIN, top, WIDTH - MARGIN, top + 24), 6, fill=BAR_TRACK)
        filled = max(usable * min(card.share, 100) / 100, 6)
        draw.rounded_rectangle((MARGIN, top, MARGIN + filled, top + 24), 6, fill=BAR)
    draw.text((MARGIN, HEIGHT - MARGIN - 36), card.site, font=_font("regular", 32), fill=SOFT)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()

"""What other sites see of this one: the picture of a shared link, the icons, and the one page
they may frame (a budget line's split)."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings
from PIL import Image

from plan.sharing import pictures
from tests.support.html import parse, squash

pytestmark = pytest.mark.django_db

needs_fonts = pytest.mark.skipif(
    not pictures.available(), reason="needs Debian's fonts-noto-cjk (installed by .ci/run)"
)

# One sample per record type: the page and the picture its og:image names.
SAMPLES = [
    ("/114/", "/114/og/home.png"),
    ("/114/budget/3/", "/114/og/budget/3.png"),  # 類
    ("/114/budget/2-2/", "/114/og/budget/2-2.png"),  # 項
    ("/114/budget/2-2-3/", "/114/og/budget/2-2-3.png"),  # 目, derived amount
    ("/114/measures/2-2-3-m1/", "/114/og/measures/2-2-3-m1.png"),
    ("/114/goals/6/", "/114/og/goals/6.png"),
]


def meta(html: str, key: str) -> str | None:
    for element in parse(html).find_all("meta"):
        if key in (element.attrs.get("property"), element.attrs.get("name")):
            return element.attrs["content"]
    return None


@needs_fonts
@pytest.mark.parametrize(("page", "picture"), SAMPLES)
def test_every_record_type_has_a_1200_by_630_picture(client, plan, page, picture):
    html = client.get(page).content.decode()
    assert meta(html, "og:image").endswith(picture)
    assert meta(html, "og:image:width") == "1200" and meta(html, "og:image:height") == "630"
    assert meta(html, "og:image:alt")
    assert meta(html, "twitter:card") == "summary_large_image"

    response = client.get(picture)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age" in response["Cache-Control"]
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 630)


@needs_fonts
def test_the_picture_draws_the_record_not_a_blank_card(client, plan):
    """Different records give different pictures, and each has text and a share bar drawn."""
    category = Image.open(io.BytesIO(client.get("/114/og/budget/3.png").content))
    subitem = Image.open(io.BytesIO(client.get("/114/og/budget/2-2-3.png").content))
    assert category.tobytes() != subitem.tobytes()
    colours = category.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # anti-aliased glyphs, not a flat background
    bar = pictures.BAR
    row = pictures.HEIGHT - pictures.MARGIN - 56 - 12  # the middle of the share bar
    filled = sum(category.getpixel((x, row)) == bar for x in range(pictures.WIDTH))
    # 參、分局業務 is 65.2% of the budget: its bar fills about that much of the usable width.
    usable = pictures.WIDTH - 2 * pictures.MARGIN
    assert filled == pytest.approx(0.652 * usable, rel=0.03)


@pytest.mark.parametrize(
    "picture",
    ["/114/og/budget/9-9.png", "/114/og/measures/2-2-3-m99.png", "/114/og/goals/99.png"],
)
def test_a_picture_of_an_unknown_record_is_404(client, plan, picture):
    assert client.get(picture).status_code == 404


def test_without_the_fonts_pages_have_no_picture_and_the_address_is_404(client, plan, tmp_path):
    missing = {"regular": tmp_path / "none.ttc", "bold": tmp_path / "none.ttc"}
    with override_settings(OG_FONTS=missing, PAGE_CACHE_SECONDS=0):
        html = client.get("/114/budget/2-2/").content.decode()
        assert meta(html, "og:image") is None
        assert meta(html, "twitter:card") == "summary"
        assert client.get("/114/og/budget/2-2.png").status_code == 404


def static_file(href: str) -> Path:
    """The file a /static/ address serves (whitenoise serves it unchanged)."""
    found = finders.find(href.removeprefix(settings.STATIC_URL))
    assert found, href
    return Path(found)


def test_pages_link_the_icons_and_the_manifest(client, plan):
    page = parse(client.get("/114/").content.decode())
    links = {
        (el.attrs.get("rel"), el.attrs.get("type")): el.attrs["href"]
        for el in page.find_all("link")
    }
    assert static_file(links[("icon", "image/svg+xml")]).read_text().startswith("<svg")
    touch = Image.open(static_file(links[("apple-touch-icon", None)]))
    assert touch.size == (180, 180)
    manifest = json.loads(static_file(links[("manifest", None)]).read_text())
    assert "施政計畫" in manifest["name"]
    icons = {icon["sizes"]: icon["src"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= set(icons)
    for size, src in icons.items():
        if size == "any":  # the SVG
            continue
        assert Image.open(static_file(src)).size == tuple(map(int, size.split("x"))), src


def test_the_browser_asking_for_favicon_ico_is_sent_to_the_icon(client, plan):
    favicon = client.get("/favicon.ico")
    assert favicon.status_code in (301, 302)
    assert favicon["Location"].startswith(settings.STATIC_URL)
    static_file(favicon["Location"])


# ---------------------------------------------------------------- embeds


def test_the_embed_shows_the_split_and_links_back(client, plan):
    response = client.get("/114/embed/budget/2-2/")
    assert response.status_code == 200
    page = parse(response.content.decode())
    rows = page.find("table").find("tbody").find_all("tr")
    assert len(rows) == 11
    assert "(三)外事業務" in rows[2].text() and "推算" in rows[2].text()
    links = page.find_all("a")
    assert all(a.attrs.get("target") == "_top" for a in links)
    assert any(a.attrs["href"].endswith("/114/budget/2-2/") for a in links)
    assert not page.find_all("header") or "site-header" not in page.find("header").classes


def test_only_the_embed_may_be_framed(client, plan):
    embed = client.get("/114/embed/budget/2-2/")
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert not embed.has_header("X-Frame-Options")
    for url in ("/114/budget/2-2/", "/114/", "/114/glossary/"):
        response = client.get(url)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url
        assert response["X-Frame-Options"] == "DENY", url


def test_the_line_page_offers_the_embed_snippet(client, plan):
    page = parse(client.get("/114/budget/2-2/").content.decode())
    snippet = page.find("textarea", class_="embed-code").text()
    assert "<iframe" in snippet and "/114/embed/budget/2-2/" in snippet
    assert 'title="' in snippet  # a framed page needs a name for screen readers


def test_an_embed_of_an_unknown_line_is_404(client, plan):
    assert client.get("/114/embed/budget/9-9/").status_code == 404


def test_the_embed_of_a_leaf_says_it_has_no_split(client, plan):
    text = squash(parse(client.get("/114/embed/budget/6-1/").content.decode()).text())
    assert "第一預備金" in text

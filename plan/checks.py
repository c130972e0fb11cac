"""System checks (`manage.py check`): what the site can run without, but should say it lacks."""

from django.core.checks import Warning, register

from . import og_images


@register()
def share_picture_fonts(app_configs, **kwargs):
    if og_images.available():
        return []
    return [
        Warning(
            "Noto Sans CJK is not installed: shared links will have no picture (og:image).",
            hint="apt-get install fonts-noto-cjk, or point OG_FONT_DIR at the fonts.",
            id="plan.W001",
        )
    ]

"""The other components' app configs, where the project changes what they leave to it."""

from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    # django-axes gives its app no verbose name: the admin would head its section "Axes".
    verbose_name = "登入防護"

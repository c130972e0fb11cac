from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "plan"
    verbose_name = "施政計畫"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signals  # noqa: F401  (registers the checks, connects the receivers)

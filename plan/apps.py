from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "plan"
    verbose_name = "施政計畫"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the admin, the system check and the signal receivers (translations:
        # Chinese permission names, and the user and group admins again; the cache purges).
        from .editing import admin, draft_admin, lockouts, signals, translations  # noqa: F401
        from .pagecache import (
            purge,  # noqa: F401
            spaces,  # noqa: F401  (the deploy check)
        )
        from .sharing import pictures  # noqa: F401

"""The admin in Traditional Chinese where a catalogue cannot do it: message ids live in
locale/zh_Hant/LC_MESSAGES/django.po (docs/editing.md, "The admin's language"); this module
holds what Django and the libraries build in English outside any catalogue.

- Permission names: Django stores "Can change 預算項目" ("Can %s %s", never translated) in the
  database; after every migrate they are renamed 「可修改 預算項目」.
"""

from django.conf import settings
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.utils import translation

# Django's default permissions, "Can <action> <model>", as the admin shows them in Chinese.
ACTIONS = {"add": "新增", "change": "修改", "delete": "刪除", "view": "檢視"}


def permission_name(action: str, model) -> str:
    """「可修改 預算項目」: the Chinese name of one of a model's default permissions."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"可{ACTIONS[action]} {model._meta.verbose_name}"[:255]


@receiver(post_migrate, dispatch_uid="plan.editing.translations.name_permissions")
def name_permissions(sender, app_config, using, apps, **kwargs):
    """Rename the app's default permissions, which Django's create_permissions (an earlier
    receiver of the same signal) has just made in English. Renames only what differs, so a
    second run changes nothing; permissions an app declares itself keep their names."""
    try:
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    wanted = {}
    for model in app_config.get_models():
        content_type = ContentType.objects.db_manager(using).get_for_model(
            model, for_concrete_model=False
        )
        for action in model._meta.default_permissions:
            if action in ACTIONS:
                key = (content_type.pk, f"{action}_{model._meta.model_name}")
                wanted[key] = permission_name(action, model)
    renamed = []
    for permission in Permission.objects.using(using).filter(
        content_type__in={content_type for content_type, _codename in wanted}
    ):
        name = wanted.get((permission.content_type_id, permission.codename))
        if name and permission.name != name:
            permission.name = name
            renamed.append(permission)
    Permission.objects.using(using).bulk_update(renamed, ["name"])

"""The admin in Traditional Chinese where a catalogue cannot do it: message ids live in
locale/zh_Hant/LC_MESSAGES/django.po (docs/editing.md, "The admin's language"); this module
holds what Django and the libraries build in English outside any catalogue.

- Permission names: Django stores "Can change 預算項目" ("Can %s %s", never translated) in the
  database; after every migrate they are renamed 「可修改 預算項目」.
- Django's user and group admins: the set-password form adds a warning in English outside its
  catalogue, and delete pages list many-to-many links under names built from class names.
- django-axes names its records ("Attempted Access: …"). Its list of login attempts is
  replaced whole, in Chinese, by the lockout's (lockouts.py).
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy

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


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    # Django 5.2 joins this warning to the translated help text as a plain English string.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        auth_forms.SetUnusablePasswordMixin.usable_password_help_text,
        gettext_lazy("If disabled, the current password for this user will be lost."),
    )


def _link_models() -> dict:
    """Django's own tables behind many-to-many fields (a user's groups, a group's permissions),
    by the Chinese name of what they link."""
    links = {}
    for model in django_apps.get_models():
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                links[through] = format_lazy(
                    "{}與{}的關聯",
                    model._meta.verbose_name,
                    field.remote_field.model._meta.verbose_name,
                )
    return links


def _without(entries: list, prefixes: tuple[str, ...]) -> list:
    return [
        _without(entry, prefixes) if isinstance(entry, list) else entry
        for entry in entries
        if isinstance(entry, list) or not str(entry).startswith(prefixes)
    ]


class LinksInChineseMixin:
    """The delete page lists each link row of a many-to-many field as "Group-permission 關連:
    Group_permissions object (3)" (names Django builds in English): counted under their
    Chinese name instead, without the rows."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = _link_models()
        prefixes = tuple(f"{capfirst(through._meta.verbose_name)}: " for through in links)
        names = {str(through._meta.verbose_name_plural): name for through, name in links.items()}
        counts = {names.get(str(plural), plural): count for plural, count in counts.items()}
        return _without(deleted, prefixes), counts, perms_needed, protected


class PlanUserAdmin(LinksInChineseMixin, UserAdmin):
    change_password_form = AdminPasswordChangeForm


class PlanGroupAdmin(LinksInChineseMixin, GroupAdmin):
    pass


def _record_name(kind: str):
    def __str__(self) -> str:
        when = f"{timezone.localtime(self.attempt_time):%Y-%m-%d %H:%M:%S}"
        return f"{kind}：{self.username or '（未填使用者名稱）'}，{when}，{self.ip_address}"

    return __str__


# The admin shows a record by its str() (titles, breadcrumbs, history, delete pages), and
# axes's are English sentences ("Attempted Access: …"); no setting changes them.
AccessAttempt.__str__ = _record_name("登入嘗試")
AccessLog.__str__ = _record_name("登入紀錄")
AccessFailureLog.__str__ = _record_name("登入失敗")

for model, model_admin in (
    (User, PlanUserAdmin),
    (Group, PlanGroupAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)

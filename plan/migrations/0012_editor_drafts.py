"""Editors correct a plan through drafts: they open, change, publish and discard drafts, and
change a draft's plan record (its total); the published plan stays read-only in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_GROUP = "editor"
PERMISSIONS = [
    "view_draft",
    "add_draft",
    "change_draft",
    "delete_draft",
    "publish_draft",
    "view_publication",
    "change_plan",
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="plan", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=EDITOR_GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="plan", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("plan", "0011_drafts")]

    operations = [migrations.RunPython(grant, revoke)]

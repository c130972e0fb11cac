"""The "editor" group: department staff who correct content but cannot delete it or manage users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_GROUP = "editor"

# Content is viewed and changed, never deleted; goal links (the site's own mapping) can be
# added and removed; reload history and users are out of reach.
EDITOR_PERMISSIONS = [
    "view_plan",
    "view_policygoal",
    "change_policygoal",
    "view_budgetline",
    "change_budgetline",
    "view_measure",
    "change_measure",
    "view_goalmeasure",
    "add_goalmeasure",
    "change_goalmeasure",
    "delete_goalmeasure",
    "view_historicalpolicygoal",
    "view_historicalbudgetline",
    "view_historicalmeasure",
    "view_historicalgoalmeasure",
    "view_dataload",
]


def create_editor_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="plan", codename__in=EDITOR_PERMISSIONS
    )
    group.permissions.set(permissions)


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]

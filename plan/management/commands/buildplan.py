from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plan.document.contract import dump
from plan.document.folders import PlanFolderError, selected
from plan.importer.build import build_plan


class Command(BaseCommand):
    help = (
        "Build each plan's fixture (fixtures/plans/<slug>/plan.json) from its source document, "
        "corrections and goal links. Default: every plan folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="plan folders, e.g. kcpd-114 (default: all)")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Do not write; fail if a committed fixture differs from a fresh build.",
        )
        parser.add_argument("--output", type=Path, help="write here instead (one plan only)")

    def handle(self, *args, slugs, check, output, **options):
        try:
            folders = selected(slugs)
        except PlanFolderError as error:
            raise CommandError(str(error)) from error
        if output and len(folders) != 1:
            raise CommandError("--output needs exactly one plan")
        for folder in folders:
            try:
                text = dump(build_plan(folder))
            except ValueError as error:
                raise CommandError(f"{folder.slug} cannot be built: {error}") from error
            target = output or folder.fixture
            if check:
                current = target.read_text(encoding="utf-8") if target.exists() else ""
                if current != text:
                    raise CommandError(f"{target} is out of date: run `manage.py buildplan`")
                self.stdout.write(self.style.SUCCESS(f"{folder.slug}: matches a fresh build"))
            else:
                target.write_text(text, encoding="utf-8")
                self.stdout.write(self.style.SUCCESS(f"{folder.slug}: wrote {target}"))

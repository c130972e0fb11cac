from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plan.comparison.lines import MatchError, load_matches
from plan.document.contract import DocumentError, read
from plan.document.folders import PlanFolderError, selected
from plan.document.loader import load_plan


class Command(BaseCommand):
    help = (
        "Load (or reload) published plans from their fixtures, each in one transaction, oldest "
        "year first. Default: every plan folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="plan folders, e.g. kcpd-114 (default: all)")
        parser.add_argument("--fixture", type=Path, help="load this document instead")

    def handle(self, *args, slugs, fixture, **options):
        try:
            folders = [None] if fixture else selected(slugs)
            for folder in folders:
                plan, report = load_plan(read(fixture or folder.fixture))
                if report.changed:
                    self.stdout.write(self.style.SUCCESS(f"{plan}: {report.summary()}"))
                else:
                    self.stdout.write(f"{plan}: 資料已是最新，沒有變更")
                if folder is not None and folder.comparison.exists():
                    self.stdout.write(f"{plan}: {load_matches(plan, folder.comparison)}")
        except (DocumentError, PlanFolderError, MatchError) as error:
            raise CommandError(str(error)) from None

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from plan.document import DocumentError, read
from plan.loader import load_plan


class Command(BaseCommand):
    help = "Load (or reload) the published plan from its fixture, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("--fixture", type=Path, default=settings.PLAN_FIXTURE)

    def handle(self, *args, fixture, **options):
        try:
            plan, report = load_plan(read(fixture))
        except DocumentError as error:
            raise CommandError(str(error)) from None
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"{plan}: {report.summary()}"))
        else:
            self.stdout.write(f"{plan}: 資料已是最新，沒有變更")

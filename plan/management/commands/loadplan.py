from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from plan.document import read
from plan.loader import load_plan


class Command(BaseCommand):
    help = "Load (or reload) the published plan from its fixture, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("--fixture", type=Path, default=settings.PLAN_FIXTURE)

    def handle(self, *args, fixture, **options):
        plan, report = load_plan(read(fixture))
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"{plan}: {report.summary()}"))
        else:
            self.stdout.write(f"{plan}: 資料已是最新，沒有變更")

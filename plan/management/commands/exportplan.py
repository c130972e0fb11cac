from django.core.management.base import BaseCommand, CommandError

from plan.importer.build import dump
from plan.selectors import plan_document, plan_get


class Command(BaseCommand):
    help = "Write the whole plan, as loaded in the database, as JSON to stdout."

    def add_arguments(self, parser):
        parser.add_argument("--plan", default=None, help="plan slug (default: the newest plan)")

    def handle(self, *args, plan, **options):
        found = plan_get(slug=plan)
        if found is None:
            raise CommandError("no plan is loaded: run `manage.py loadplan` first")
        self.stdout.write(dump(plan_document(plan=found)), ending="")

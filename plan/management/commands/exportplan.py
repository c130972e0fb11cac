from django.core.management.base import BaseCommand, CommandError

from plan.document import dump, from_database
from plan.models import Plan


class Command(BaseCommand):
    help = "Write the whole plan, as loaded in the database, as JSON to stdout."

    def add_arguments(self, parser):
        parser.add_argument("--plan", default=None, help="plan slug (default: the newest plan)")

    def handle(self, *args, plan, **options):
        found = Plan.objects.newest(slug=plan)
        if found is None:
            raise CommandError("no plan is loaded: run `manage.py loadplan` first")
        self.stdout.write(dump(from_database(found)), ending="")

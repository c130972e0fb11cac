from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from plan.document import dump
from plan.importer.build import build_plan


class Command(BaseCommand):
    help = "Build the published plan fixture from the source document and the corrections file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Do not write; fail if the committed fixture differs from a fresh build.",
        )
        parser.add_argument("--output", type=Path, default=settings.PLAN_FIXTURE)

    def handle(self, *args, check, output, **options):
        source_name = settings.PLAN_SOURCE.relative_to(settings.BASE_DIR).as_posix()
        try:
            document = build_plan(
                settings.PLAN_SOURCE,
                settings.PLAN_CORRECTIONS,
                source_name,
                settings.PLAN_GOAL_LINKS,
            )
            text = dump(document)
        except ValueError as error:
            raise CommandError(f"the plan cannot be built: {error}") from error
        if check:
            current = output.read_text(encoding="utf-8") if output.exists() else ""
            if current != text:
                raise CommandError(f"{output} is out of date: run `manage.py buildplan`")
            self.stdout.write(self.style.SUCCESS(f"{output.name} matches a fresh build"))
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"wrote {output}"))

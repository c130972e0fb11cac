"""Write (and optionally load) a synthetic plan for benchmarks: see plan/importer/synthetic.py."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plan.document.contract import dump, read
from plan.document.folders import plan_folders
from plan.document.loader import load_plan
from plan.importer.synthetic import synthetic_plan


class Command(BaseCommand):
    help = "Write (and optionally load) a synthetic plan FACTOR times the size of the real one."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, default=10, help="size multiple (default 10)")
        parser.add_argument("--output", type=Path, help="where to write the JSON document")
        parser.add_argument("--load", action="store_true", help="load it into the database")
        parser.add_argument(
            "--fixture",
            type=Path,
            help="the real plan document to multiply (default: the newest plan folder's)",
        )

    def handle(self, *args, factor, output, load, fixture, **options):
        if output is None and not load:
            raise CommandError("give --output PATH, --load, or both")
        fixture = fixture or plan_folders()[-1].fixture
        try:
            document = synthetic_plan(read(fixture), factor)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if output is not None:
            output.write_text(dump(document), encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"wrote {output}"))
        if load:
            plan, report = load_plan(document)
            self.stdout.write(self.style.SUCCESS(f"{plan}（{plan.slug}）: {report.summary()}"))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plan.search.synonyms import SynonymFileError, default_path, load_synonyms


class Command(BaseCommand):
    help = (
        "Load the search synonym table from fixtures/synonyms.toml (or --file), replacing the "
        "groups in the database when they differ. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="load this file instead")

    def handle(self, *args, file, **options):
        try:
            summary = load_synonyms(file or default_path())
        except SynonymFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(summary))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plan.search.synonyms import SynonymFileError, default_path, load_synonyms


class Command(BaseCommand):
    help = (
        "Load the search synonym table from fixtures/synonyms.toml (or --file), replacing the "
        "groups in the database when they differ, but keeping (and listing) the groups editors "
        "added, changed or deleted in the admin. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="load this file instead")
        parser.add_argument(
            "--replace-edited",
            action="store_true",
            help="make the table exactly the file's, replacing the editors' groups",
        )

    def handle(self, *args, file, replace_edited, **options):
        try:
            load = load_synonyms(file or default_path(), replace_edited=replace_edited)
        except SynonymFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(load.summary))
        for lines, heading in (
            (load.kept, "保留編者在管理介面的修改（以 --replace-edited 改用檔案）"),
            (load.replaced, "以檔案取代編者的修改"),
        ):
            if lines:
                self.stdout.write(self.style.WARNING(f"{heading} {len(lines)} 組："))
            for line in lines:
                self.stdout.write(f"  {line}")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plan.comparison.lines import MatchError, load_matches
from plan.document.contact import contact_at
from plan.document.contract import DocumentError, read
from plan.document.folders import PlanFolderError, selected
from plan.document.loader import load_plan


class Command(BaseCommand):
    help = (
        "Load (or reload) published plans from their fixtures, each in one transaction, oldest "
        "year first. Records an editor changed since the last load are kept and listed, unless "
        "--replace-edited. Default: every plan folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="plan folders, e.g. kcpd-114 (default: all)")
        parser.add_argument("--fixture", type=Path, help="load this document instead")
        parser.add_argument(
            "--replace-edited",
            action="store_true",
            help="replace what editors changed in the admin with the file's records",
        )

    def handle(self, *args, slugs, fixture, replace_edited, **options):
        try:
            folders = [None] if fixture else selected(slugs)
            for folder in folders:
                if folder is not None:
                    contact_at(folder.path / "plan.toml")
                document = read(fixture or folder.fixture)
                plan, report = load_plan(document, replace_edited=replace_edited)
                if report.changed:
                    self.stdout.write(self.style.SUCCESS(f"{plan}: {report.counts()}"))
                else:
                    self.stdout.write(f"{plan}: 資料已是最新，沒有變更")
                self._list(plan, report)
                if folder is not None and folder.comparison.exists():
                    self.stdout.write(f"{plan}: {load_matches(plan, folder.comparison)}")
        except (DocumentError, PlanFolderError, MatchError) as error:
            raise CommandError(str(error)) from None

    def _list(self, plan, report) -> None:
        for edits, heading in (
            (report.kept, "保留編者的修改，未以資料檔取代（要取代請加 --replace-edited）"),
            (report.replaced, "以資料檔取代編者的修改"),
        ):
            if edits:
                self.stdout.write(self.style.WARNING(f"{plan}: {heading} {len(edits)} 筆："))
            for edit in edits:
                self.stdout.write(f"  {edit}")

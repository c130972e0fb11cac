from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plan.document.contract import dump, from_database
from plan.models import Plan


class Command(BaseCommand):
    help = (
        "Write loaded plans, as they are in the database, as the published JSON document: to "
        "stdout for one plan, or one file each into --output-dir. Default: every plan loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="plans, e.g. kcpd-114 (default: all)")
        parser.add_argument("--plan", dest="legacy_slug", help="the same as naming one plan")
        parser.add_argument("--output-dir", type=Path, help="write <slug>.json files here")

    def handle(self, *args, slugs, legacy_slug, output_dir, **options):
        slugs = [*slugs, *([legacy_slug] if legacy_slug else [])]
        plans = list(
            Plan.objects.published().filter(slug__in=slugs) if slugs else Plan.objects.published()
        )
        missing = sorted(set(slugs) - {plan.slug for plan in plans})
        if not plans or missing:
            raise CommandError(f"not loaded: {missing or 'any plan'}: run `manage.py loadplan`")
        if output_dir is None:
            if len(plans) > 1:
                raise CommandError("several plans are loaded: name one, or give --output-dir")
            self.stdout.write(dump(from_database(plans[0])), ending="")
            return
        output_dir.mkdir(parents=True, exist_ok=True)
        for plan in plans:
            target = output_dir / f"{plan.slug}.json"
            target.write_text(dump(from_database(plan)), encoding="utf-8")
            self.stdout.write(f"wrote {target}")

from django.core.management.base import BaseCommand, CommandError

from plan.integrity import check_plan
from plan.models import Plan


class Command(BaseCommand):
    help = "Verify the loaded plan: goals, every sum, derived amounts, no orphan or empty record."

    def handle(self, *args, **options):
        plans = list(Plan.objects.all())
        if not plans:
            raise CommandError("no plan is loaded: run `manage.py loadplan` first")
        failures = 0
        for plan in plans:
            self.stdout.write(self.style.MIGRATE_HEADING(f"{plan}（{plan.slug}）"))
            for finding in check_plan(plan):
                mark = self.style.SUCCESS("  ok  ") if finding.ok else self.style.ERROR("  FAIL")
                self.stdout.write(f"{mark} {finding.message}")
                failures += not finding.ok
        if failures:
            raise CommandError(f"checkplan: {failures} check(s) failed")
        self.stdout.write(self.style.SUCCESS("checkplan: all checks passed"))

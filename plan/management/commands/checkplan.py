from django.core.management.base import BaseCommand, CommandError

from plan.document.folders import plan_folder
from plan.editing.integrity import check_plan
from plan.models import BudgetLine, Plan, PolicyGoal
from plan.reading.english_names import missing_names


class Command(BaseCommand):
    help = (
        "Verify loaded plans: goals, every sum, derived amounts, no orphan or empty record. "
        "Default: every plan loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="plans, e.g. kcpd-114 (default: all)")

    def handle(self, *args, slugs, **options):
        plans = list(
            Plan.objects.published().filter(slug__in=slugs) if slugs else Plan.objects.published()
        )
        if not plans:
            raise CommandError("no plan is loaded: run `manage.py loadplan` first")
        missing = sorted(set(slugs) - {plan.slug for plan in plans})
        if missing:
            raise CommandError(f"not loaded: {missing}")
        failures = 0
        for plan in plans:
            self.stdout.write(self.style.MIGRATE_HEADING(f"{plan}（{plan.slug}）"))
            for finding in check_plan(plan):
                mark = self.style.SUCCESS("  ok  ") if finding.ok else self.style.ERROR("  FAIL")
                self.stdout.write(f"{mark} {finding.message}")
                failures += not finding.ok
            # Not a check of publishing: an editor's new name goes out in Chinese on the
            # English pages until english.toml is brought up to date.
            for problem in _english_names(plan):
                self.stdout.write(f"{self.style.ERROR('  FAIL')} {problem}")
                failures += 1
        if failures:
            raise CommandError(f"checkplan: {failures} check(s) failed")
        self.stdout.write(self.style.SUCCESS("checkplan: all checks passed"))


def _english_names(plan) -> list[str]:
    # A plan loaded without a folder (a document alone) has nowhere to keep English names:
    # its English pages show the Chinese names, marked as Chinese.
    if plan_folder(plan.slug) is None:
        return []
    categories = BudgetLine.objects.in_plan(plan).filter(level=BudgetLine.Level.CATEGORY)
    goals = PolicyGoal.objects.in_plan(plan)
    return missing_names(
        plan,
        [(line.code, line.name) for line in categories],
        [(goal.number, goal.short_title) for goal in goals],
    )

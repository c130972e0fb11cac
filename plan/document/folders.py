"""One folder per published document, fixtures/plans/<slug>/:

    plan.toml          which document: agency, fiscal year, the source file's name; the
                       city's population; how to reach the agency (contact.py)
    <source>.txt       the PDF-to-text extraction, the record of provenance (never edited)
    corrections.toml   the reviewed repairs of the source, each with its reason
    goal-links.toml    the site's own mapping of goals to measures
    comparison.toml    (optional) lines renamed or moved since the previous year's plan
    plan.json          the published fixture, built from the above by `buildplan`

Adding next year's plan is adding its folder (docs/data.md, "Next year's plan").
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

FIXTURE_NAME = "plan.json"


class PlanFolderError(ValueError):
    """A plan folder that does not say what it holds."""


@dataclass(frozen=True)
class PlanFolder:
    path: Path
    slug: str
    agency: str
    fiscal_year: int
    source_name: str

    @property
    def source(self) -> Path:
        return self.path / self.source_name

    @property
    def corrections(self) -> Path:
        return self.path / "corrections.toml"

    @property
    def goal_links(self) -> Path:
        return self.path / "goal-links.toml"

    @property
    def comparison(self) -> Path:
        return self.path / "comparison.toml"

    @property
    def fixture(self) -> Path:
        return self.path / FIXTURE_NAME

    @property
    def source_file(self) -> str:
        """The source's path in the repository, as the published document names it."""
        return self.source.relative_to(settings.BASE_DIR).as_posix()


def _read(path: Path) -> PlanFolder:
    try:
        data = tomllib.loads((path / "plan.toml").read_text(encoding="utf-8"))
        return PlanFolder(
            path=path,
            slug=path.name,
            agency=str(data["agency"]),
            fiscal_year=int(data["fiscal_year"]),
            source_name=str(data["source"]),
        )
    except (OSError, KeyError, ValueError) as error:
        raise PlanFolderError(f"{path / 'plan.toml'}: {error}") from error


def plan_folders() -> list[PlanFolder]:
    """Every plan folder, oldest year first."""
    base = Path(settings.PLANS_DIR)
    folders = [_read(path) for path in sorted(base.iterdir()) if (path / "plan.toml").exists()]
    return sorted(folders, key=lambda folder: (folder.fiscal_year, folder.slug))


def plan_folder(slug: str) -> PlanFolder | None:
    """The folder of the plan with this slug; None when there is none (e.g. a synthetic plan)."""
    path = Path(settings.PLANS_DIR) / slug
    return _read(path) if (path / "plan.toml").exists() else None


def selected(slugs: list[str]) -> list[PlanFolder]:
    """The folders named (all of them when none is), oldest year first."""
    folders = plan_folders()
    if not slugs:
        return folders
    known = {folder.slug: folder for folder in folders}
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise PlanFolderError(f"no plan folder {unknown} in {settings.PLANS_DIR} ({sorted(known)})")
    return [folder for folder in folders if folder.slug in slugs]

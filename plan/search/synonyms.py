"""The search synonym table: read from fixtures/synonyms.toml into SearchSynonym, which the
admin edits and the search reads (plan/search/terms.py)."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from plan.content import published
from plan.models import SearchSynonym


class SynonymFileError(ValueError):
    """A synonyms file that cannot be loaded: says which group and why."""


@dataclass(frozen=True)
class Group:
    words: str  # joined with 、, as stored
    reason: str


def default_path() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "synonyms.toml"


def read_groups(path: Path) -> list[Group]:
    """The file's groups, each checked as the admin checks it."""
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("group", [])
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SynonymFileError(f"{path}: {error}") from None
    groups = []
    for number, entry in enumerate(entries, start=1):
        words, reason = entry.get("words"), entry.get("reason")
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise SynonymFileError(f"{path}: group {number}: words must be a list of strings")
        if not isinstance(reason, str) or not reason.strip():
            raise SynonymFileError(f"{path}: group {number} ({'、'.join(words)}): needs a reason")
        record = SearchSynonym(words="、".join(words), reason=reason.strip())
        try:
            record.full_clean(exclude=["position"])
        except ValidationError as error:
            messages = "; ".join(error.messages)
            raise SynonymFileError(f"{path}: group {number}: {messages}") from None
        groups.append(Group(record.words, record.reason))
    return groups


def load_synonyms(path: Path | None = None) -> str:
    """Make the table hold exactly the file's groups, in its order; says what it did."""
    path = path or default_path()
    groups = read_groups(path)
    stored = [Group(each.words, each.reason) for each in SearchSynonym.objects.all()]
    summary = f"{len(groups)} 組搜尋同義詞"
    if stored == groups:
        return f"{summary}，沒有變更"
    with transaction.atomic():
        SearchSynonym.objects.all().delete()
        SearchSynonym.objects.bulk_create(
            SearchSynonym(words=group.words, reason=group.reason, position=position)
            for position, group in enumerate(groups, start=1)
        )
        published.changed()
    return f"{summary}，已更新"


def touch_remaining() -> None:
    """After a group is deleted in the admin, the table's last change is now: the remaining
    rows say so, so the data version's modification time moves forward, never back."""
    SearchSynonym.objects.update(updated_at=timezone.now())

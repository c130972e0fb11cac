"""The search synonym table: read from fixtures/synonyms.toml into SearchSynonym, which the
admin edits and the search reads (plan/search/terms.py).

Editors' groups stay (docs/data.md, "The search synonyms"): a row added or changed in the admin
(`edited_in_admin`) is kept as it is, and a group of the file an editor deleted
(SearchSynonymRemoval) is not loaded again, unless the load is told to replace editors' changes.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from plan.content import published, tags
from plan.models import SearchSynonym, SearchSynonymRemoval


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


@dataclass
class SynonymLoad:
    """What `load_synonyms` did: one line, and the editors' groups kept or replaced."""

    summary: str
    kept: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)


def load_synonyms(path: Path | None = None, *, replace_edited: bool = False) -> SynonymLoad:
    """Make the table hold the file's groups, in its order, beside the editors' groups (all of
    the file's, and nothing else, with `replace_edited`); says what it did."""
    path = path or default_path()
    groups = read_groups(path)
    rows = list(SearchSynonym.objects.all())
    removals = set(SearchSynonymRemoval.objects.values_list("source_words", flat=True))
    edited = [] if replace_edited else [row for row in rows if row.edited_in_admin]
    held = {row.source_words for row in edited if row.source_words}
    kept, replaced = _editors_groups(groups, rows, removals, replace_edited)
    wanted = [
        (group.words, group.reason, position, group.words)
        for position, group in enumerate(groups, start=1)
        if group.words not in held and (replace_edited or group.words not in removals)
    ]
    loaded = [
        (row.words, row.reason, row.position, row.source_words) for row in rows if row not in edited
    ]
    summary = f"{len(groups)} 組搜尋同義詞"
    if loaded == wanted and not (replace_edited and (replaced or removals)):
        return SynonymLoad(f"{summary}，沒有變更", kept)
    with transaction.atomic():
        SearchSynonym.objects.exclude(pk__in=[row.pk for row in edited]).delete()
        SearchSynonym.objects.bulk_create(
            SearchSynonym(words=words, reason=reason, position=position, source_words=source)
            for words, reason, position, source in wanted
        )
        if replace_edited:
            SearchSynonymRemoval.objects.all().delete()
        published.changed()
        tags.purge({tags.SYNONYMS})
    return SynonymLoad(f"{summary}，已更新", kept, replaced)


def _editors_groups(groups, rows, removals, replace: bool) -> tuple[list[str], list[str]]:
    """The editors' groups as the load lists them: kept, or (`replace`) replaced by the file."""
    in_file = {group.words: group for group in groups}
    listed = []
    for row in rows:
        if not row.edited_in_admin:
            continue
        group = in_file.get(row.source_words)
        if group is None:
            listed.append(f"「{row.words}」：編者新增，檔案沒有這一組")
        elif (group.words, group.reason) != (row.words, row.reason):
            listed.append(f"「{row.words}」：編者修改，檔案為「{group.words}」")
    listed += [
        f"「{words}」：編者已刪除，檔案仍有這一組" for words in sorted(removals & in_file.keys())
    ]
    return ([], listed) if replace else (listed, [])


def touch_remaining() -> None:
    """After a group is deleted in the admin, the table's last change is now: the remaining
    rows say so, so the data version's modification time moves forward, never back."""
    SearchSynonym.objects.update(updated_at=timezone.now())

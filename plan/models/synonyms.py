"""Search synonyms: groups of words a reader may type for one another (詐騙、詐欺).

The table is data kept in the repository (fixtures/synonyms.toml, loaded by
`manage.py loadsynonyms`) and editable in the admin. It belongs to no plan: the words are how
people write, whatever the year. plan/search/terms.py reads it (through the data version
snapshot, plan/content/published.py) to widen each search term.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

# Words are separated by 、 , ， ; ； / or white space (a line per word is fine too).
WORD_SEPARATORS = re.compile(r"[、,，;；/\s]+")
MIN_WORD_LENGTH = 2
MAX_WORDS = 8


def split_words(text: str) -> list[str]:
    """「詐騙、詐欺」 -> ["詐騙", "詐欺"], repeats left out."""
    return list(dict.fromkeys(word for word in WORD_SEPARATORS.split(text or "") if word))


class SearchSynonym(models.Model):
    words = models.CharField(
        "同義詞",
        max_length=200,
        help_text="以頓號分隔，例如「詐騙、詐欺」；搜尋其中任何一個詞時，也搜尋其他的詞。",
    )
    reason = models.CharField(
        "理由", max_length=200, help_text="為何視為同義，例如民眾與原文的說法"
    )
    position = models.PositiveSmallIntegerField("順序", default=0)
    updated_at = models.DateTimeField("最後修改", auto_now=True)
    # Which group of the file the row was loaded from, and whether an editor has changed it
    # since (set by the admin's save): `loadsynonyms` keeps editors' groups
    # (plan/search/synonyms.py).
    source_words = models.CharField(
        "資料檔中的同義詞", max_length=200, blank=True, default="", editable=False
    )
    edited_in_admin = models.BooleanField(
        "編者修改",
        default=False,
        editable=False,
        help_text="在管理介面新增或修改過：loadsynonyms 保留，不以資料檔覆蓋",
    )

    class Meta:
        verbose_name = "搜尋同義詞"
        verbose_name_plural = "搜尋同義詞"
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(words=""), name="search_synonym_words_not_empty"),
        ]

    def __str__(self) -> str:
        return "、".join(self.word_list)

    @property
    def word_list(self) -> list[str]:
        return split_words(self.words)

    def clean(self):
        words = self.word_list
        if len(words) < 2:
            raise ValidationError({"words": "至少要有兩個詞，以頓號分隔。"})
        if len(words) > MAX_WORDS:
            raise ValidationError({"words": f"一組最多 {MAX_WORDS} 個詞。"})
        short = [word for word in words if len(word) < MIN_WORD_LENGTH]
        if short:
            raise ValidationError({"words": f"每個詞至少兩個字：{'、'.join(short)}"})
        self.words = "、".join(words)


class SearchSynonymRemoval(models.Model):
    """A group of the synonyms file an editor deleted in the admin: `loadsynonyms` does not
    bring it back (unless told to replace editors' changes)."""

    source_words = models.CharField("資料檔中的同義詞", max_length=200, unique=True)
    removed_at = models.DateTimeField("刪除時間", auto_now_add=True)

    class Meta:
        verbose_name = "編者刪除的搜尋同義詞"
        verbose_name_plural = "編者刪除的搜尋同義詞"
        ordering = ["removed_at", "pk"]

    def __str__(self) -> str:
        return self.source_words

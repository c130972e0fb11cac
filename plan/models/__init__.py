"""The administrative plan as the document states it: goals, the budget tree and measures.

Every row keeps a public `code` that never changes when the data is reloaded (it is the
permalink), its order in the document (`sequence`) and the source lines it was built from.
A second fiscal year or agency is simply another `Plan` with its own rows.

Read queries live here, as QuerySet methods (one question, one method);
`plan/content/selectors.py` combines them into what a page needs.

May import: plan.addresses (a record's own address names its plan's year).
"""

from .base import (
    CODE_PATTERN,
    INITIAL_LOAD_REASON,
    LOADER_REASONS,
    RELOAD_REASON,
    REPLACE_EDITED_REASON,
    SourceLinesMixin,
    normalize_line_ends,
    related_or_none,
    subtree_q,
)
from .budget import BudgetLine, BudgetLineQuerySet, Measure, MeasureQuerySet, TreeNode
from .comparison import BudgetLineMatch
from .drafts import Draft, DraftQuerySet, Publication
from .goals import GoalMeasure, GoalMeasureQuerySet, PolicyGoal, PolicyGoalQuerySet
from .plan import DataLoad, Plan, PlanQuerySet
from .synonyms import SearchSynonym, SearchSynonymRemoval, split_words

__all__ = [
    "CODE_PATTERN",
    "INITIAL_LOAD_REASON",
    "LOADER_REASONS",
    "RELOAD_REASON",
    "REPLACE_EDITED_REASON",
    "BudgetLine",
    "BudgetLineMatch",
    "BudgetLineQuerySet",
    "DataLoad",
    "Draft",
    "DraftQuerySet",
    "GoalMeasure",
    "GoalMeasureQuerySet",
    "Measure",
    "MeasureQuerySet",
    "Plan",
    "PlanQuerySet",
    "PolicyGoal",
    "PolicyGoalQuerySet",
    "Publication",
    "SearchSynonym",
    "SearchSynonymRemoval",
    "SourceLinesMixin",
    "TreeNode",
    "normalize_line_ends",
    "related_or_none",
    "split_words",
    "subtree_q",
]

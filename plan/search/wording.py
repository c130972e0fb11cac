"""What the search page calls things, in the page's language: the kinds of result, the orders
and layouts of the results, the text of a record a result quotes, and what the example queries
mean (said beside them on the English pages; a query stays Chinese, the plan's own word). The
API and the downloads keep the Chinese values (engine.KIND_LABELS, `Hit.field`)."""

from django.utils.translation import gettext_lazy, pgettext_lazy

KIND_NAMES = {
    "goal": pgettext_lazy("a kind of search result", "施政提要"),
    "line": pgettext_lazy("a kind of search result", "預算項目"),
    "measure": pgettext_lazy("a kind of search result", "計畫項目"),
}
SORTS = {
    "": gettext_lazy("文件順序"),
    "-amount": gettext_lazy("預算金額由高到低"),
    "amount": gettext_lazy("預算金額由低到高"),
    "kind": gettext_lazy("依類型"),
}
GROUPS = {"": gettext_lazy("逐筆列出"), "line": gettext_lazy("依預算項目分組")}

# Which text of a record a result quotes: `Hit.field` (Chinese) and its name on the page.
GOAL_TEXT, LINE_NAME = "提要內容", "名稱"
MEASURE_NAME, OBJECTIVES, APPROACH = "計畫名稱", "計畫目標", "實施要領"
FIELD_NAMES = {
    GOAL_TEXT: pgettext_lazy("search result field", "提要內容"),
    LINE_NAME: pgettext_lazy("search result field", "名稱"),
    MEASURE_NAME: pgettext_lazy("search result field", "計畫名稱"),
    OBJECTIVES: pgettext_lazy("search result field", "計畫目標"),
    APPROACH: pgettext_lazy("search result field", "實施要領"),
}

EXAMPLE_MEANINGS = {
    "監視器": pgettext_lazy("meaning of a search example", "監視器"),
    "酒駕": pgettext_lazy("meaning of a search example", "酒駕"),
    "詐騙": pgettext_lazy("meaning of a search example", "詐騙"),
    "交通事故": pgettext_lazy("meaning of a search example", "交通事故"),
    "少年": pgettext_lazy("meaning of a search example", "少年"),
    "110": pgettext_lazy("meaning of a search example", "110"),
    "交通": pgettext_lazy("meaning of a search example", "交通"),
}
# Offered to a reader of the English pages who typed English (the plan is in Chinese).
CHINESE_EXAMPLES = ("監視器", "詐騙", "交通")

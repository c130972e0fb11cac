"""名詞解釋: the document's terms in plain words, for the glossary page and for the first use
of a term on a page ({% term %} in plan/templatetags/plan_text.py), in the page's language:
each term's name and explanation are marked for translation (the English is in the
catalogue, locale/en/); the Chinese name is what templates ask for, and the anchor is the same
in both languages."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy


@dataclass(frozen=True)
class Term:
    anchor: str  # the id on the glossary page: ASCII, stable
    chinese: str  # the term as the plan prints it: the name {% term %} is given
    name: Promise  # the term in the page's language
    meaning: Promise


TERMS = [
    Term(
        "plan",
        "施政計畫",
        pgettext_lazy("glossary term", "施政計畫"),
        gettext_lazy("機關每年提出的工作計畫：今年要做哪些事、為什麼做，以及每件事配合多少預算。"),
    ),
    Term(
        "year",
        "年度",
        pgettext_lazy("glossary term", "年度"),
        gettext_lazy("以民國紀年的預算年度，從 1 月 1 日到 12 月 31 日；114 年度就是 2025 年。"),
    ),
    Term(
        "goals",
        "施政提要",
        pgettext_lazy("glossary term", "施政提要"),
        gettext_lazy(
            "施政計畫開頭列出的施政重點，原文的標題是「施政計畫提要」，114 年度共 19 項。"
            "每項的簡短標題是本站整理的，原文只有提要全文。"
        ),
    ),
    Term(
        "summary-table",
        "預算配合對照表",
        pgettext_lazy("glossary term", "預算配合對照表"),
        gettext_lazy(
            "施政計畫裡對照各「類」、各「項」預算金額的表格。本站以它作為類與項金額的依據。"
        ),
    ),
    Term(
        "category",
        "類",
        pgettext_lazy("glossary term", "類"),
        gettext_lazy("預算的第一層，例如「貳、警政警衛實施」。"),
    ),
    Term(
        "item",
        "項",
        pgettext_lazy("glossary term", "項"),
        gettext_lazy("類之下的第二層，例如「二、勤業務管理」。"),
    ),
    Term(
        "subitem",
        "目",
        pgettext_lazy("glossary term", "目"),
        gettext_lazy("項之下的第三層，例如「(三)外事業務」。只有部分的項再分成目。"),
    ),
    Term(
        "budget-line",
        "預算項目",
        pgettext_lazy("glossary term", "預算項目"),
        gettext_lazy("類、項、目的統稱。每個預算項目都有金額，上一層的金額等於下一層各項的合計。"),
    ),
    Term(
        "measure",
        "計畫項目",
        pgettext_lazy("glossary term", "計畫項目"),
        gettext_lazy(
            "預算項目之下列出的具體工作，各有計畫名稱、計畫目標與實施要領。"
            "原文沒有把金額再分到各計畫項目，所以計畫項目頁面上的金額是它所屬預算項目的金額。"
        ),
    ),
    Term(
        "objectives",
        "計畫目標",
        pgettext_lazy("glossary term", "計畫目標"),
        gettext_lazy("一個計畫項目想達成的結果，照原文逐字轉錄。"),
    ),
    Term(
        "approach",
        "實施要領",
        pgettext_lazy("glossary term", "實施要領"),
        gettext_lazy("一個計畫項目打算怎麼做，照原文逐字轉錄。"),
    ),
    Term(
        "thousand",
        "千元",
        pgettext_lazy("glossary term", "千元"),
        gettext_lazy(
            "施政計畫的金額單位：1 千元是新臺幣 1,000 元。1 萬元 = 10 千元，1 億元 = 100,000 千元。"
            "本站也把金額換算成億元或萬元方便閱讀，四捨五入的換算前面標「約」。"
        ),
    ),
    Term(
        "share",
        "占比",
        pgettext_lazy("glossary term", "占比"),
        gettext_lazy(
            "一個金額占上一層或占全部預算的百分比，四捨五入到小數一位；"
            "同一層各項的占比合計為 100%。"
        ),
    ),
    Term(
        "per-resident",
        "平均每位市民",
        pgettext_lazy("glossary term", "平均每位市民"),
        gettext_lazy(
            "金額除以高雄市的戶籍人口數，只是幫助感受金額大小的換算，不是向每個人收取的費用。"
            "人口數與它的出處寫在首頁。"
        ),
    ),
    Term(
        "derived",
        "推算",
        pgettext_lazy("glossary term", "推算"),
        gettext_lazy(
            "原文沒有印出、由本站以上一層的金額減去同一層其餘各項得出的金額。"
            "每個推算金額都會標示，理由寫在資料說明頁。"
        ),
    ),
    Term(
        "stated",
        "原文所載",
        pgettext_lazy("glossary term", "原文所載"),
        gettext_lazy("原文印出的金額或文字。本站的數字除了標示「推算」的以外，都是原文所載。"),
    ),
    Term(
        "reserve",
        "第一預備金",
        pgettext_lazy("glossary term", "第一預備金"),
        gettext_lazy("預算裡保留、供年度中經費不足或臨時需要時動支的款項；它沒有計畫項目。"),
    ),
    Term(
        "note",
        "備考",
        pgettext_lazy("glossary term", "備考"),
        gettext_lazy("原文表格中的備註欄。"),
    ),
    Term(
        "editor-note",
        "編者註",
        pgettext_lazy("glossary term", "編者註"),
        gettext_lazy("本站對原文的說明，例如金額為什麼是推算的、原文哪裡排版錯位。"),
    ),
    Term(
        "editorial",
        "本站整理",
        pgettext_lazy("glossary term", "本站整理"),
        gettext_lazy(
            "不是原文的內容，而是本站編輯整理的，例如提要的簡短標題、提要與計畫項目的對應；"
            "使用時請一併說明。"
        ),
    ),
    Term(
        "source",
        "原文",
        pgettext_lazy("glossary term", "原文"),
        gettext_lazy(
            "本站轉錄所依據的施政計畫轉檔文字。每個頁面的「原文」區塊列出所依據的行號與文字，可以逐字對照。"
        ),
    ),
    Term(
        "year-on-year",
        "比上年度",
        pgettext_lazy("glossary term", "比上年度"),
        gettext_lazy(
            "同一機關前一年度的施政計畫也在本站時，每個預算項目與上年度同一項目（同代碼、同名稱，或本站標明的改名、移動）比較；"
            "增減達 20% 以上或屬最大的五項增減，標示「變動較大」。"
        ),
    ),
    Term(
        "revisions",
        "修訂紀錄",
        pgettext_lazy("glossary term", "修訂紀錄"),
        gettext_lazy("資料公開後的每一次修改：改了什麼、原本的值與新的值、什麼時候改的。"),
    ),
]

BY_NAME = {term.chinese: term for term in TERMS}

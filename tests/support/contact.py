"""The plan folders with other [contact] tables, for the tests of the contact details
(plan/document/contact.py) in Chinese and in English."""

import shutil
import tomllib

from plan.document.folders import plan_folder

FOLDER = plan_folder("kcpd-114")
# The [contact] tables as committed.
COMMITTED = tomllib.loads((FOLDER.path / "plan.toml").read_text(encoding="utf-8"))["contact"]

# Every detail a plan folder may give, for a folder that gives them all (the note of 1999 has
# no English, so that the English pages show it in Chinese).
ALL_DETAILS = """
[contact.website]
value = "https://kcpd.kcg.gov.tw/"
source = "https://example.org/website"
[contact.document]
value = "https://kcpd.kcg.gov.tw/plan-114.pdf"
source = "https://example.org/document"
[contact.address]
value = "高雄市某區某路 1 號"
source = "https://example.org/address"
[contact.phone]
value = "(07) 123-4567"
source = "https://example.org/phone"
[contact.email]
value = "someone@example.org"
source = "https://example.org/email"
[contact.citizen_line]
value = "1999"
note = "24 小時"
source = "https://example.org/1999"
[contact.mayor_mailbox]
value = "https://mailbox.example.org/"
source = "https://example.org/mailbox"
[contact.emergency]
value = "110"
source = "https://example.org/110"
"""


def plan_folders_copy(tmp_path, settings):
    """A copy of the plan folders, in use, whose kcpd-114/plan.toml a test rewrites: the
    returned `write(contact)` keeps everything but the [contact] tables, which become
    `contact`."""
    shutil.copytree(FOLDER.path.parent, tmp_path / "plans")
    settings.PLANS_DIR = tmp_path / "plans"
    path = tmp_path / "plans" / "kcpd-114" / "plan.toml"
    kept = path.read_text(encoding="utf-8").split("[contact.")[0]

    def write(contact: str) -> None:
        path.write_text(kept + contact, encoding="utf-8")

    return write

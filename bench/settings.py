"""The production settings, with static files collected into the benchmark's temp directory.

config/settings.py fixes STATIC_ROOT to the project's staticfiles/; the benchmark must not
write there, so this module changes that one setting and nothing else.
"""

import os

from config.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

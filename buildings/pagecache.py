"""Moved to core/pagecache.py; this alias keeps proposals' imports working while proposals is
being split into sub-packages, and goes away with them."""

import sys

from core import pagecache

sys.modules[__name__] = pagecache

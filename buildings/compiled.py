"""Moved to core/compiled.py; this alias keeps proposals' imports working while proposals is
being split into sub-packages, and goes away with them."""

import sys

from core import compiled

sys.modules[__name__] = compiled

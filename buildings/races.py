"""Moved to core/races.py; this alias keeps proposals' imports working while proposals is
being split into sub-packages, and goes away with them."""

import sys

from core import races

sys.modules[__name__] = races

"""Moved to core/uploads.py; this alias keeps proposals' imports working while proposals is
being split into sub-packages, and goes away with them."""

import sys

from core import uploads

sys.modules[__name__] = uploads

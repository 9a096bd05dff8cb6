#!/usr/bin/env python3
"""Build static/vendor/bootstrap-icons/sprite.svg from the icons vendored beside it.

The icons are Bootstrap Icons 1.11.3 (MIT, LICENSE beside them), copied one file per
icon from the release's icons/ folder: only those the pages use, so the sprite stays a
few kilobytes. To add one, copy its .svg into static/vendor/bootstrap-icons/icons/ and
run `python3 scripts/build_icons.py`; templates draw it with
{% include "partials/icon.html" with name="the-icon" %}.
"""

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "static" / "vendor" / "bootstrap-icons"


def symbol(path: Path) -> str:
    text = path.read_text()
    view_box = re.search(r'viewBox="([^"]+)"', text).group(1)
    inner = re.search(r"<svg[^>]*>(.*)</svg>", text, re.S).group(1)
    inner = re.sub(r"\s*\n\s*", "", inner)
    return f'<symbol id="{path.stem}" viewBox="{view_box}">{inner}</symbol>'


def main() -> None:
    symbols = [symbol(path) for path in sorted((HERE / "icons").glob("*.svg"))]
    sprite = (
        '<svg xmlns="http://www.w3.org/2000/svg">\n'
        "<!-- Bootstrap Icons 1.11.3, MIT licence: see LICENSE -->\n"
        + "\n".join(symbols)
        + "\n</svg>\n"
    )
    (HERE / "sprite.svg").write_text(sprite)
    print(f"{len(symbols)} icons, {len(sprite)} bytes")


if __name__ == "__main__":
    main()

"""Text clean-up for free-text labels people type and others read."""

from __future__ import annotations

import re

# Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) and
# the invisible marks (U+200E, U+200F, U+061C): they make "Dr Smith\u202egnp.exe" read as
# something else in an e-mail or a report. Letters of right-to-left scripts are kept.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(text: str) -> str:
    """`text` without bidirectional control characters."""
    return _BIDI_CONTROLS.sub("", text)

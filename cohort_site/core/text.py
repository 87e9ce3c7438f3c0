"""What typed text may contain: no hidden control characters and no text-direction overrides.

C0 and C1 control characters (a vertical tab, U+0085 "next line", ...) do nothing visible but break CSV cells,
email headers and terminals; the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069) reverse how the rest of a line is shown, so "Ada\u202egnp.exe" reads as "Adaexe.png" in the
admin or a spreadsheet. Names, organisations, roles, answers and titles refuse them, with a message that says
which character to remove. (NUL is refused before this, by Django's own check and NulByteMiddleware.) Tab and
line breaks belong in a text box, not in a one-line field.
"""

import re

from django.core.exceptions import ValidationError

_CONTROLS = "\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_LINE = "\t\n\r"


class PlainTextValidator:
    """Refuses control characters and bidi overrides; `multiline` text (a text box) may hold tabs and line breaks."""

    code = "control_character"

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline
        self.pattern = re.compile(f"[{_CONTROLS}{_BIDI}{'' if multiline else _LINE}]")

    def __call__(self, value) -> None:
        found = self.pattern.search(str(value))
        if found is None:
            return
        character = found.group()
        if character in _LINE:
            message = "Please keep this to one line, without tabs or line breaks."
        else:
            message = (
                f"Please remove the hidden control or text-direction character (U+{ord(character):04X}) "
                "from this text: it can disguise what is written."
            )
        raise ValidationError(message, code=self.code)


validate_single_line = PlainTextValidator()
validate_multiline = PlainTextValidator(multiline=True)

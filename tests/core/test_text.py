import pytest
from django.core.exceptions import ValidationError

from cohort_site.core.text import validate_multiline, validate_single_line


@pytest.mark.parametrize(
    ("text", "character"),
    [
        ("Ada\x0bLovelace", "U+000B"),
        ("Ada\x85Lovelace", "U+0085"),
        ("Ada\x1bLovelace", "U+001B"),
        ("Ada\x7fLovelace", "U+007F"),
        ("Ada\u202egnp.exe", "U+202E"),
        ("Ada\u202aLovelace", "U+202A"),
        ("Ada\u2066Lovelace\u2069", "U+2066"),
    ],
)
def test_control_and_text_direction_characters_are_refused_with_a_message(text, character):
    for validate in (validate_single_line, validate_multiline):
        with pytest.raises(ValidationError) as refused:
            validate(text)

        assert refused.value.messages == [
            f"Please remove the hidden control or text-direction character ({character}) from this text: it "
            "can disguise what is written."
        ]


@pytest.mark.parametrize(
    "text",
    ["Zoë O'Brien-Smith", "محمد", "שָׁלוֹם", "Ana 🌻", "Ngā mihi", "Left\u200fright mark", "a = b + c"],
)
def test_ordinary_text_in_any_script_is_accepted(text):
    validate_single_line(text)
    validate_multiline(text)


def test_a_text_box_may_hold_tabs_and_line_breaks_a_one_line_field_may_not():
    validate_multiline("First\r\nsecond\n\tindented")

    with pytest.raises(ValidationError) as refused:
        validate_single_line("Ada\nLovelace")

    assert refused.value.messages == ["Please keep this to one line, without tabs or line breaks."]

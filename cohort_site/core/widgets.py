import datetime

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. It reads and writes ISO dates only: a value rendered in the locale's format
    (26/07/2027) is dropped, and the field shows blank."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# --- A length of time, as a number and a unit ("2 days", "36 hours"), never "2 00:00:00" ----------------------------

DURATION_UNITS = [("days", "days"), ("hours", "hours"), ("minutes", "minutes")]
UNIT_LENGTH = {
    "days": datetime.timedelta(days=1),
    "hours": datetime.timedelta(hours=1),
    "minutes": datetime.timedelta(minutes=1),
}


def duration_in_units(value: datetime.timedelta) -> tuple[int, str]:
    """The largest unit a length is a whole number of: 2 days, 36 hours, 90 minutes."""
    for unit, length in UNIT_LENGTH.items():
        if value % length == datetime.timedelta(0):
            return value // length, unit
    return round(value / UNIT_LENGTH["minutes"]), "minutes"


class DurationWidget(forms.MultiWidget):
    """A number and a unit, each with its own accessible name ("Offer valid for, number")."""

    def __init__(self, attrs=None):
        super().__init__(
            [forms.NumberInput(attrs={"min": 0, "step": 1}), forms.Select(choices=DURATION_UNITS)], attrs
        )

    def decompress(self, value):
        if isinstance(value, datetime.timedelta):
            return list(duration_in_units(value))
        return [None, "days"]

    def name_parts(self, label: str) -> None:
        for part, widget in zip(("number", "unit"), self.widgets, strict=True):
            widget.attrs["aria-label"] = f"{label}, {part}"


class DurationField(forms.MultiValueField):
    """A length of time entered as a whole number of days, hours or minutes."""

    widget = DurationWidget

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        fields = [
            forms.IntegerField(
                min_value=0,
                max_value=999,
                error_messages={"invalid": "Enter a whole number, such as 2."},
            ),
            forms.ChoiceField(choices=DURATION_UNITS),
        ]
        super().__init__(fields=fields, require_all_fields=True, **kwargs)
        self.widget.name_parts(str(self.label or "Length"))

    def compress(self, data_list):
        if not data_list:
            return None
        number, unit = data_list
        return number * UNIT_LENGTH[unit]

    def prepare_value(self, value):
        # A stored value (a timedelta) goes to the widget whole; it splits it into a number and a unit.
        return value

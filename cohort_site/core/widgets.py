from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. It reads and writes ISO dates only: a value rendered in the locale's format
    (26/07/2027) is dropped, and the field shows blank."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

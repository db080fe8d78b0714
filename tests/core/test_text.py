"""core.text: free text keeps what people typed and loses what would hide or break it."""

import pytest

from core.text import clean_line


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Горки  ", "Горки"),
        ("Гор\x00ки", "Горки"),
        ("Гор\u200bки", "Горки"),  # zero-width space
        ("\u202eГорки\u202c", "Горки"),  # bidi override
        ("Гор\nки", "Горки"),
        (None, ""),
    ],
)
def test_clean_line_drops_control_and_format_characters(raw, clean):
    """A one-line input loses NUL, line breaks, zero-width and bidi characters and the space
    around it; letters stay."""
    assert clean_line(raw) == clean

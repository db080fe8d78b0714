"""``address_breaks``: e-mail and web addresses wrap at their joints, never inside a word."""

from django.template import Context, Template


def _render(value):
    return Template("{% load text_tags %}{{ value|address_breaks }}").render(
        Context({"value": value})
    )


def test_email_breaks_after_at_and_before_dots():
    """«admin.gorki@example.com» may wrap only after «@» and before each dot."""
    assert _render("admin.gorki@example.com") == "admin<wbr>.gorki@<wbr>example<wbr>.com"


def test_url_breaks_after_slashes_but_not_inside_the_scheme():
    """A web address keeps «https://» whole and may wrap after a path's slash."""
    assert _render("https://ipnnk.by/about") == "https://<wbr>ipnnk<wbr>.by/<wbr>about"


def test_the_text_is_escaped_and_empty_stays_empty():
    """Markup in the value is escaped (only the filter's <wbr> is HTML); None gives nothing."""
    assert _render('a<b>"@x.y') == "a&lt;b&gt;&quot;@<wbr>x<wbr>.y"
    assert _render(None) == ""

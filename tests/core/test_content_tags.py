"""Long texts on the public pages: paragraphs, line breaks and typed lists."""

from django.template import Context, Template

from core.templatetags.content import paragraphs_and_lists


def test_lines_typed_as_a_list_become_a_list():
    text = "Difficulties:\n- No quick gains\n* Keeping <partners> on board\n• Money"
    assert paragraphs_and_lists(text) == (
        "<p>Difficulties:</p><ul><li>No quick gains</li>"
        "<li>Keeping &lt;partners&gt; on board</li><li>Money</li></ul>"
    )


def test_paragraphs_line_breaks_and_continued_items_are_kept():
    text = "One\r\nline two\r\n\r\n- item\r\n  goes on\r\n- next\r\nAfter & more"
    assert paragraphs_and_lists(text) == (
        "<p>One<br>line two</p><ul><li>item<br>goes on</li><li>next</li></ul>"
        "<p>After &amp; more</p>"
    )


def test_a_dash_inside_a_line_or_a_number_is_not_a_list():
    assert paragraphs_and_lists("-5 °C in winter - and more") == (
        "<p>-5 °C in winter - and more</p>"
    )
    assert paragraphs_and_lists("") == ""
    assert paragraphs_and_lists(None) == ""


def test_filter_escapes_in_a_template_with_autoescape_on_or_off():
    text = "<script>x</script>\n- <b>bold</b>"
    for template in (
        "{{ t|paragraphs_and_lists }}",
        "{% autoescape off %}{{ t|paragraphs_and_lists }}{% endautoescape %}",
    ):
        html = Template("{% load content %}" + template).render(Context({"t": text}))
        assert html == (
            "<p>&lt;script&gt;x&lt;/script&gt;</p><ul><li>&lt;b&gt;bold&lt;/b&gt;</li></ul>"
        )

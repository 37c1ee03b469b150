"""archive.tags.names.breakable and its template filter: long ships wrap between characters."""

from django.template import Context, Template
from django.utils.safestring import mark_safe

from archive.tags.names import breakable


def test_a_ship_may_wrap_after_each_slash_and_ampersand():
    assert breakable("Carol Peletier/Daryl Dixon & Rick Grimes") == (
        "Carol Peletier/<wbr>Daryl Dixon &amp;<wbr> Rick Grimes"
    )


def test_the_name_is_escaped_before_anything_is_marked_safe():
    html = breakable('</script><img src=x onerror="alert(1)">&amp;')

    assert "<img" not in html and "</script" not in html
    assert html == "&lt;/<wbr>script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;<wbr>amp;"


def test_the_filter_escapes_even_a_name_already_marked_safe():
    html = Template("{% load tag_names %}{{ name|breakable }}").render(Context({"name": mark_safe("<b>A</b>/B")}))

    assert html == "&lt;b&gt;A&lt;/<wbr>b&gt;/<wbr>B"

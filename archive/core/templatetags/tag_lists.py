from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def tag_items(tags, css_class: str = "") -> SafeString:
    """`<li>` links to these tags' works; lists render hundreds of these, so no template per tag."""
    return format_html_join(
        "",
        '<li class="{}"><a class="tag" href="{}">{}</a></li>',
        ((css_class, tag.get_absolute_url(), tag.name) for tag in tags),
    )


@register.filter
def thousands(number) -> str:
    """1234567 as "1,234,567": what humanize's intcomma does for the archive's counts, cheaply."""
    try:
        return f"{int(number):,}"
    except (TypeError, ValueError):
        return number

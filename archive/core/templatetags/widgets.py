"""Choice widgets rendered in Python.

Django renders every <option> and every checkbox of a choice widget through its own template;
on the search page (a language list, ratings, warnings, categories...) that costs more than all
the SQL. These produce the same markup as Django's widgets, attributes included, in a fraction
of the time. Any other widget renders the usual way.
"""

from collections import OrderedDict

from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField
from django.template.loader import get_template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
FIELD_ROW = "includes/form_field.html"
ROWS_KEPT = 4_000
_rows: OrderedDict[tuple, SafeString] = OrderedDict()
CHECKED = mark_safe(" checked")  # noqa: S308 - constants
SELECTED = mark_safe(" selected")
INVALID = mark_safe(' aria-invalid="true"')
NOTHING = mark_safe("")


def _selected(field: BoundField) -> set[str]:
    value = field.value()
    values = value if isinstance(value, list | tuple) else [value]
    return {str(item) for item in values if item is not None}


def _aria(field: BoundField) -> SafeString:
    attrs = []
    if field.help_text:
        attrs.append(format_html(' aria-describedby="{}_helptext"', field.auto_id))
    if field.errors:
        attrs.append(INVALID)
    return format_html_join("", "{}", ((attr,) for attr in attrs))


@register.simple_tag
def widget(field: BoundField, element_id: str = "") -> SafeString:
    """The field's widget; `element_id` renders a second copy of a field on one page (a sidebar)."""
    choice_widget = field.field.widget
    if not isinstance(choice_widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return field.as_widget(attrs={"id": element_id} if element_id else None)
    selected = _selected(field)
    choices = [(str(value), label) for value, label in field.field.choices]
    auto_id = element_id or field.auto_id
    if isinstance(choice_widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        # CheckboxSelectMultiple is a RadioSelect subclass: ask about it first.
        kind = "checkbox" if isinstance(choice_widget, forms.CheckboxSelectMultiple) else "radio"
        items = format_html_join(
            "",
            '<div><label for="{0}_{1}"><input type="{2}" name="{3}" value="{4}" id="{0}_{1}"{5}>{6}</label></div>',
            (
                (
                    auto_id,
                    index,
                    kind,
                    field.html_name,
                    value,
                    CHECKED if value in selected else NOTHING,
                    label,
                )
                for index, (value, label) in enumerate(choices)
            ),
        )
        return format_html('<div id="{}"{}>{}</div>', auto_id, _aria(field), items)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, SELECTED if value in selected else NOTHING, label) for value, label in choices),
    )
    return format_html('<select name="{}" id="{}"{}>{}</select>', field.html_name, auto_id, _aria(field), options)


@register.simple_tag
def field_row(field: BoundField) -> SafeString:
    """The field as includes/form_field.html renders it, remembered in this process.

    For forms whose fields are the same on every request (the search's two dozen): a row is a
    function of the form's class, the field and what the reader sent for it (its value and its
    errors), so a search that fills one field renders one row and reuses the others.
    """
    if settings.DEBUG:  # templates reload while a developer edits them
        return get_template(FIELD_ROW).render({"field": field})
    key = (type(field.form), field.html_name, field.auto_id, repr(field.value()), tuple(map(str, field.errors)))
    row = _rows.get(key)
    if row is None:
        row = get_template(FIELD_ROW).render({"field": field})
        _rows[key] = row
        if len(_rows) > ROWS_KEPT:
            _rows.popitem(last=False)
    return row

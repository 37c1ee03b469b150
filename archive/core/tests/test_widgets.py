"""Choice widgets rendered in Python must be the same controls Django would render."""

from django import forms
from django.template import Context, Template

from archive.stories.choices import Category, Rating


class ChoiceForm(forms.Form):
    ratings = forms.MultipleChoiceField(choices=Rating.choices, widget=forms.CheckboxSelectMultiple, required=False)
    categories = forms.TypedMultipleChoiceField(
        choices=Category.choices, coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    mode = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, required=False)
    sort = forms.ChoiceField(choices=[("new", "Newest"), ("old", "Oldest")], required=False, help_text="How.")


def render(field: str, data: dict | None = None, element_id: str = "") -> str:
    form = ChoiceForm(data)
    template = Template("{% load widgets %}{% widget field element_id %}")
    return template.render(Context({"field": form[field], "element_id": element_id}))


def test_a_multiple_choice_field_renders_checkboxes_with_the_chosen_ones_checked():
    html = render("ratings", {"ratings": ["teen", "mature"]})
    assert html.count('type="checkbox"') == len(Rating.choices)
    assert 'type="radio"' not in html
    assert '<input type="checkbox" name="ratings" value="teen" id="id_ratings_2" checked>' in html
    assert '<input type="checkbox" name="ratings" value="general" id="id_ratings_1">' in html


def test_integer_choices_stay_checked_after_a_submission():
    html = render("categories", {"categories": ["4"]})
    assert 'value="4" id="id_categories_2" checked' in html


def test_a_radio_select_renders_radios():
    html = render("mode", {"mode": "b"})
    assert html.count('type="radio"') == 2
    assert 'value="b" id="id_mode_1" checked' in html


def test_a_select_marks_the_chosen_option_and_points_at_its_help_text():
    html = render("sort", {"sort": "old"})
    assert html.startswith('<select name="sort" id="id_sort" aria-describedby="id_sort_helptext">')
    assert '<option value="old" selected>Oldest</option>' in html


def test_a_second_copy_of_a_field_gets_its_own_id():
    assert 'id="filter-sort"' in render("sort", element_id="filter-sort")


def test_labels_are_escaped():
    class Hostile(forms.Form):
        pick = forms.ChoiceField(choices=[("x", "<script>alert(1)</script>")])

    html = Template("{% load widgets %}{% widget field %}").render(Context({"field": Hostile()["pick"]}))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def row(form: forms.Form, name: str) -> str:
    return Template("{% load widgets %}{% field_row field %}").render(Context({"field": form[name]}))


def included_row(form: forms.Form, name: str) -> str:
    template = Template('{% include "includes/form_field.html" with field=field %}')
    return template.render(Context({"field": form[name]}))


def test_a_remembered_field_row_is_the_row_the_include_renders_for_the_same_input():
    for data in (None, {}, {"sort": "old", "ratings": ["teen"], "mode": "b"}, {"sort": "nope", "categories": ["x"]}):
        for _ in range(2):  # the second time from memory
            form = ChoiceForm(data)
            if form.is_bound:
                form.is_valid()
            for name in form.fields:
                assert row(form, name) == included_row(form, name), (data, name)


def test_a_field_row_shows_what_this_request_sent_not_what_an_earlier_one_did():
    assert 'value="old" selected' in row(ChoiceForm({"sort": "old"}), "sort")
    assert 'value="new" selected' in row(ChoiceForm({"sort": "new"}), "sort")
    bad = ChoiceForm({"sort": "nope"})
    bad.is_valid()
    assert "errorlist" in row(bad, "sort")
    good = ChoiceForm({"sort": "new"})
    good.is_valid()
    assert "errorlist" not in row(good, "sort")

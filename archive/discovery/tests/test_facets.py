"""The sidebar's facet rows (archive/discovery/templatetags/facets.py), as a tag page shows them."""

import re

from django.template import Context, Template

from archive.discovery.filtering import Facet
from archive.tags.models import Tag

RATINGS = [("general", "General Audiences", 8), ("teen", "Teen And Up Audiences", 3)]


def render(source: str, **context) -> str:
    return Template("{% load facets %}" + source).render(Context(context))


def test_a_facet_row_names_its_tag_with_its_count_and_checks_only_what_was_chosen():
    entries = [
        Facet(Tag(id=7, name="Carol Peletier", kind="character"), 15),
        Facet(Tag(id=9, name="Daryl", kind="character"), 4),
    ]

    html = render("{% facet_rows entries include exclude %}", entries=entries, include=[9], exclude=[])

    assert '<th scope="row">Carol Peletier <span class="facet-count">(15)</span></th>' in html
    assert '<input type="checkbox" name="include" value="9" aria-label="Include Daryl" checked>' in html
    assert '<input type="checkbox" name="include" value="7" aria-label="Include Carol Peletier" >' in html
    assert not re.search(r'name="exclude"[^>]*checked', html)


def test_rating_rows_check_the_included_and_excluded_ratings():
    html = render("{% rating_rows ratings in out %}", ratings=RATINGS, **{"in": ["teen"], "out": ["general"]})

    assert 'name="rating" value="teen" aria-label="Include Teen And Up Audiences" checked' in html
    assert 'name="exclude_rating" value="general" aria-label="Exclude General Audiences" checked' in html
    assert 'name="rating" value="general" aria-label="Include General Audiences" >' in html


def test_a_form_that_did_not_validate_checks_nothing():
    source = "{% rating_rows ratings form.cleaned_data.rating form.cleaned_data.exclude_rating %}"
    html = render(source, ratings=RATINGS)

    assert "checked" not in html
    assert html.count("<tr>") == 2


def test_tag_names_are_escaped():
    entries = [Facet(Tag(id=7, name='<script>alert("x")</script>', kind="freeform"), 1)]

    html = render("{% facet_rows entries include exclude %}", entries=entries, include=[], exclude=[])

    assert "<script>" not in html
    assert "&lt;script&gt;" in html

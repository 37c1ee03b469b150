"""Lists build their links without reversing each (archive/core/reversing.py): every one is the
URL Django's reverse() would give."""

import pytest
from django.urls import reverse

from archive.accounts.models import author_url
from archive.stories.cards import bookmarks_url
from archive.tags.models import tag_url

AWKWARD_TAGS = [
    "Hades/Persephone", "Kore & Hades", "O'Brien", "100% Sure", "a+b=c", "Ümlaut Ünd", "日本語", "Dr. Who?",
    "#1 Fan", "~tilde:at@!$(paren),;", "space  twice", "ends.", "..", "semi;colon", "%2F",
]  # fmt: skip


@pytest.mark.parametrize("name", AWKWARD_TAGS)
def test_a_tags_url_is_the_one_reverse_makes(name):
    for view in ("stories:tag_works", "tags:detail"):
        assert tag_url(view, name) == reverse(view, args=[name])


@pytest.mark.parametrize("username", ["alice", "Bob_99", "x1y"])
def test_an_authors_url_is_the_one_reverse_makes(username):
    assert author_url(username) == reverse("stories:by_author", args=[username])


@pytest.mark.parametrize("pk", [1, 42, 987654321, 2**63 - 1])
def test_a_works_url_is_the_one_reverse_makes(pk):
    from archive.stories.models import Story

    assert Story(pk=pk).get_absolute_url() == reverse("chapters:work", args=[pk])
    assert bookmarks_url(pk) == reverse("bookmarks:for_work", args=[pk])


def _named_views(resolver=None, namespace="", converters=(), groups=0):
    """Every named view of the project, with the converters of its address's arguments and the
    number of its arguments (a regular expression's groups have no converter)."""
    from django.urls import URLResolver, get_resolver

    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        found = (*converters, *pattern.pattern.converters.values())
        arguments = groups + pattern.pattern.regex.groups
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_views(pattern, inner, found, arguments)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", found, arguments


def test_every_view_addressed_by_ids_gets_the_address_reverse_makes():
    from archive.core.converters import IdConverter
    from archive.core.reversing import reverse_ids

    checked = 0
    for view, converters, arguments in _named_views():
        if arguments != len(converters) or not all(isinstance(converter, IdConverter) for converter in converters):
            continue
        for ids in ([7] * len(converters), [2**63 - 1 - n for n in range(len(converters))], [0] * len(converters)):
            assert reverse_ids(view, args=ids) == reverse(view, args=ids)
            assert reverse_ids(view, args=ids) == reverse(view, args=ids)  # the second from the kept frame
        checked += 1
    assert checked > 50


def test_an_address_from_a_frame_follows_the_script_prefix_and_its_arguments_rules():
    from django.urls import NoReverseMatch, get_script_prefix, set_script_prefix

    from archive.core.reversing import reverse_ids

    assert reverse_ids("chapters:detail", kwargs={"story_id": 3, "chapter_id": 9}) == reverse(
        "chapters:detail", kwargs={"story_id": 3, "chapter_id": 9}
    )
    assert reverse_ids("stories:by_author", args=["Bob_99"]) == reverse("stories:by_author", args=["Bob_99"])
    assert reverse_ids("chapters:work", args=[True]) == reverse("chapters:work", args=[True])
    for wrong in (["x"], [-1], [1, 2, 3], []):
        with pytest.raises(NoReverseMatch):
            reverse_ids("chapters:work", args=wrong)
    with pytest.raises(NoReverseMatch):
        reverse_ids("no:such_view")
    before = get_script_prefix()
    set_script_prefix("/archive/")
    try:
        assert reverse_ids("chapters:work", args=[5]) == "/archive/works/5"
    finally:
        set_script_prefix(before)
    assert reverse_ids("chapters:work", args=[5]) == "/works/5"


def test_the_url_tag_of_every_template_gives_reverses_addresses():
    from django.template import Context, Template
    from django.urls import NoReverseMatch

    rendered = Template(
        "{% url 'chapters:detail' 3 9 %}|{% url 'stories:by_author' name %}|{% url 'stories:home' %}"
        "|{% url 'chapters:work' pk as link %}{{ link }}|{% url 'no:such_view' as missing %}[{{ missing }}]"
        "|{% url view 4 %}"
    ).render(Context({"name": "a&b", "pk": 12, "view": "chapters:work"}))
    assert rendered == (
        f"{reverse('chapters:detail', args=[3, 9])}|{reverse('stories:by_author', args=['a&b']).replace('&', '&amp;')}"
        f"|{reverse('stories:home')}|/works/12|[]|/works/4"
    )
    with pytest.raises(NoReverseMatch):
        Template("{% url 'chapters:work' 'x' %}").render(Context())

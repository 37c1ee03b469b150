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

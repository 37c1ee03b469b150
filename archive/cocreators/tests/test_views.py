"""Co-creators as people meet them: the co-creators page, the inbox's Accept and Decline, the
invitation page, leaving, and every page that shows the byline afterwards."""

import re
import zipfile
from io import BytesIO

import pytest
from django.test import Client

from archive.accounts.tests.factories import UserFactory, logged_in
from archive.cocreators.models import Invitation
from archive.cocreators.services import accept_invitation, invite_cocreator, leave_story
from archive.notifications.models import Kind, Notification
from archive.publishing.services import delete_story
from archive.stories.models import Story
from archive.stories.tests.factories import make_story, work_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(ann):
    return make_story(author=ann, title="The Shared Orchard", characters=["Persephone"])


def text(response) -> str:
    return response.content.decode()


def byline(html: str) -> str:
    """The names in a work page's byline."""
    return re.search(r'class="byline heading">(.*?)</h3>', html, re.S).group(1)


def manage_url(story) -> str:
    return f"/works/{story.pk}/co-creators"


def invitation_url(story) -> str:
    return f"/works/{story.pk}/invitation"


# The co-creators page.


def test_the_edit_form_and_the_work_page_link_to_the_co_creators_page(story, ann):
    client = logged_in(ann)

    assert manage_url(story) in text(client.get(f"/works/{story.pk}/edit"))
    assert manage_url(story) in text(client.get(story.get_absolute_url()))


def test_an_author_invites_a_user_by_name(story, ann, bea):
    client = logged_in(ann)

    response = client.post(manage_url(story), {"username": "bea"}, follow=True)

    assert "bea is invited; they are credited once they accept." in text(response)
    assert "Withdraw the invitation to bea" in text(response)
    assert Invitation.objects.get().invitee == bea
    assert list(story.authors.values_list("username", flat=True)) == ["ann"]


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody", "There is no user named “nobody”."),
        ("ann", "You are already an author of this work."),
        ("", "This field is required."),
    ],
)
def test_a_bad_name_gets_a_message_next_to_the_field_and_changes_nothing(story, ann, username, message):
    response = logged_in(ann).post(manage_url(story), {"username": username})

    assert response.status_code == 200
    html = text(response)
    assert 'id="id_username_error"' in html
    assert message in html
    assert f'value="{username}"' in html or not username, "what was typed is kept"
    assert not Invitation.objects.exists()


def test_inviting_twice_says_so_and_changes_nothing(story, ann, bea):
    client = logged_in(ann)
    client.post(manage_url(story), {"username": "bea"})

    response = client.post(manage_url(story), {"username": "bea"})

    assert "bea has been invited already and hasn&#x27;t answered yet." in text(response)
    assert Invitation.objects.count() == 1
    assert Notification.objects.filter(recipient=bea).count() == 1


def test_past_its_limit_an_invitation_is_refused_and_changes_nothing(story, ann, bea, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cocreator_invitation": "2/h"}
    client = logged_in(ann)
    for name in ("nobody", "nobody"):
        client.post(manage_url(story), {"username": name})

    response = client.post(manage_url(story), {"username": "bea"})

    assert response.status_code == 429
    assert not Invitation.objects.exists()
    assert client.get(manage_url(story)).status_code == 200, "only sending is limited"


def test_the_invite_field_suggests_usernames_starting_with_what_was_typed(ann, bea):
    for name in ("beatrix", "Bertram", "albert", "orphan_account"):
        UserFactory(username=name)
    UserFactory(username="benedict", is_active=False)
    client = logged_in(ann)

    assert client.get("/autocomplete/usernames", {"q": "BE"}).json() == {"results": ["bea", "beatrix", "Bertram"]}
    assert client.get("/autocomplete/usernames", {"q": "b"}).json() == {"results": []}
    assert client.get("/autocomplete/usernames", {"q": "an"}).json() == {"results": []}, "never yourself"
    assert client.get("/autocomplete/usernames", {"q": "or"}).json() == {"results": []}
    assert client.get("/autocomplete/usernames", {"q": "b%\x00"}).json() == {"results": []}


def test_the_invite_field_asks_for_suggestions_only_where_its_script_is(story, ann):
    html = text(logged_in(ann).get(manage_url(story)))

    assert 'data-username-suggestions="/autocomplete/usernames"' in html
    assert "/static/js/cocreator-names" in html


def test_an_author_withdraws_an_invitation(story, ann, bea):
    invitation = invite_cocreator(story=story, inviter=ann, username="bea")

    response = logged_in(ann).post(f"{manage_url(story)}/invitations/{invitation.pk}/withdraw", follow=True)

    assert "The invitation to bea was withdrawn." in text(response)
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(recipient=bea).exists()


def test_an_invitation_of_another_work_cant_be_withdrawn_through_this_one(story, ann, bea):
    elsewhere = make_story(author=UserFactory(username="cat"))
    invitation = invite_cocreator(story=elsewhere, inviter=elsewhere.authors.get(), username="bea")

    response = logged_in(ann).post(f"{manage_url(story)}/invitations/{invitation.pk}/withdraw")

    assert response.status_code == 404
    assert Invitation.objects.exists()


def test_the_co_creators_page_costs_the_same_few_queries_however_many_are_invited(
    story, ann, django_assert_max_num_queries
):
    client = logged_in(ann)
    for number in range(2):
        invite_cocreator(story=story, inviter=ann, username=UserFactory(username=f"guest{number}").username)
    with django_assert_max_num_queries(12) as few:
        assert client.get(manage_url(story)).status_code == 200
    for number in range(2, 12):
        invite_cocreator(story=story, inviter=ann, username=UserFactory(username=f"guest{number}").username)
        story.authors.add(UserFactory(username=f"author{number}"))

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(manage_url(story)).status_code == 200


# The invitee's answer.


def test_the_inbox_shows_the_invitation_with_accept_and_decline(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")

    html = text(logged_in(bea).get("/inbox"))

    assert "ann invited you to be a co-creator of “The Shared Orchard”" in html
    assert f'action="{invitation_url(story)}"' in html
    assert 'name="answer" value="accept"' in html
    assert 'name="answer" value="decline"' in html
    line = Notification.objects.get(recipient=bea)
    assert f'id="notification-{line.pk}-text"' in html
    assert html.count(f'aria-describedby="notification-{line.pk}-text"') == 2, "each button says which invitation"


def test_accepting_from_the_inbox_credits_the_invitee_on_the_work_page(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")
    client = logged_in(bea)

    response = client.post(invitation_url(story), {"answer": "accept", "next": "/inbox"}, follow=True)

    assert response.redirect_chain[-1][0] == story.get_absolute_url()
    assert "You are now a co-creator of “The Shared Orchard”." in text(response)
    assert byline(text(response)).count('rel="author"') == 2
    assert ">bea</a>" in byline(text(response))
    assert "ann invited you" not in text(client.get("/inbox"))


def test_declining_from_the_inbox_goes_back_there_and_credits_nobody(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")

    response = logged_in(bea).post(invitation_url(story), {"answer": "decline", "next": "/inbox"}, follow=True)

    assert response.redirect_chain[-1][0] == "/inbox"
    assert "You declined the invitation to co-create “The Shared Orchard”." in text(response)
    assert list(story.authors.values_list("username", flat=True)) == ["ann"]
    assert not Invitation.objects.exists()


def test_the_invitation_page_shows_a_drafts_title_to_its_invitee(ann, bea):
    draft = make_story(author=ann, title="Not Yet Posted", post=False, summary="<p>A secret garden.</p>")
    invite_cocreator(story=draft, inviter=ann, username="bea")

    html = text(logged_in(bea).get(invitation_url(draft)))

    assert "Co-create “Not Yet Posted”?" in html
    assert "A secret garden." in html
    assert "ann invited you" in html


def test_opening_the_inbox_line_leads_to_the_invitation_page(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")
    line = Notification.objects.get(recipient=bea)

    response = logged_in(bea).post(f"/inbox/{line.pk}/read", {"open": "1"})

    assert response["Location"] == invitation_url(story)


def test_nobody_but_the_invitee_can_see_or_answer_an_invitation(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")
    cat = UserFactory(username="cat")

    for user in (ann, cat):
        client = logged_in(user)
        for response in (client.get(invitation_url(story)), client.post(invitation_url(story), {"answer": "accept"})):
            assert response.status_code == 302
            assert response["Location"] == "/inbox"
        assert "The Shared Orchard" not in text(client.get("/inbox"))
    assert list(story.authors.values_list("username", flat=True)) == ["ann"]
    assert Invitation.objects.get().invitee == bea


def authors_of(story_id: int) -> list[str]:
    """The work's authors' names, none once it is deleted."""
    return sorted(Story.objects.filter(pk=story_id).values_list("authors__username", flat=True))


STALE_MESSAGE = "This invitation is no longer open: it was answered or withdrawn, or the work is gone."


@pytest.mark.parametrize("answer", ["accept", "decline"])
@pytest.mark.parametrize("what_happened", ["accepted", "declined", "withdrawn", "work deleted"])
def test_answering_an_invitation_that_is_no_longer_open_says_so_in_the_inbox(story, ann, bea, answer, what_happened):
    invitation = invite_cocreator(story=story, inviter=ann, username="bea")
    url, story_id = invitation_url(story), story.pk
    client = logged_in(bea)
    if what_happened == "accepted":
        client.post(invitation_url(story), {"answer": "accept"})
    elif what_happened == "declined":
        client.post(invitation_url(story), {"answer": "decline"})
    elif what_happened == "withdrawn":
        logged_in(ann).post(f"{manage_url(story)}/invitations/{invitation.pk}/withdraw")
    else:
        delete_story(story=story)
    authors_before = authors_of(story_id)

    response = client.post(url, {"answer": answer}, follow=True)

    assert response.redirect_chain == [("/inbox", 302)]
    assert STALE_MESSAGE in text(response)
    assert authors_of(story_id) == authors_before


def test_an_old_link_to_an_answered_invitation_says_so_in_the_inbox(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")
    client = logged_in(bea)
    client.post(invitation_url(story), {"answer": "decline"})

    response = client.get(invitation_url(story), follow=True)

    assert response.redirect_chain == [("/inbox", 302)]
    assert STALE_MESSAGE in text(response)


def test_an_answer_that_isnt_accept_or_decline_changes_nothing(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")

    response = logged_in(bea).post(invitation_url(story), {"answer": "maybe"})

    assert response.status_code == 200
    assert Invitation.objects.exists()


def test_the_invitation_is_not_a_preference_anyone_can_turn_off(bea):
    html = text(logged_in(bea).get("/preferences"))

    assert "Invitations to co-create" not in html
    assert Kind.COCREATOR_INVITATION not in html


# Leaving and orphaning.


def test_a_co_creator_removes_themselves(story, ann, bea):
    story.authors.add(bea)
    client = logged_in(bea)
    assert "Remove yourself as co-creator" in text(client.get(f"{manage_url(story)}/leave"))

    response = client.post(f"{manage_url(story)}/leave", {"action": "leave"}, follow=True)

    assert "You are no longer a co-creator of “The Shared Orchard”." in text(response)
    assert list(story.authors.values_list("username", flat=True)) == ["ann"]
    assert client.get(f"/works/{story.pk}/edit").status_code == 404


def test_the_only_author_is_offered_orphaning_or_deleting_not_leaving(story, ann):
    client = logged_in(ann)
    html = text(client.get(f"{manage_url(story)}/leave"))
    assert "Orphan “The Shared Orchard”?" in html
    assert f"/works/{story.pk}/delete" in html

    response = client.post(f"{manage_url(story)}/leave", {"action": "leave"}, follow=True)

    assert "only author" in text(response)
    assert list(story.authors.values_list("username", flat=True)) == ["ann"]


def test_the_only_author_orphans_a_work(story, ann):
    response = logged_in(ann).post(f"{manage_url(story)}/leave", {"action": "orphan"}, follow=True)

    assert "is orphaned" in text(response)
    assert list(story.authors.values_list("username", flat=True)) == ["orphan_account"]
    assert ">orphan_account</a>" in byline(text(Client().get(story.get_absolute_url())))


def test_a_drafts_only_author_is_told_to_delete_it(ann):
    draft = make_story(author=ann, title="Unfinished", post=False)

    html = text(logged_in(ann).get(f"{manage_url(draft)}/leave"))

    assert "can't be orphaned" in html
    assert 'value="orphan"' not in html


# What a co-creator can do, and where the byline shows.


@pytest.fixture
def shared(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")
    return accept_invitation(story=story, user=bea)


def test_an_accepted_co_creator_edits_the_work_and_adds_chapters(shared, bea):
    client = logged_in(bea)

    response = client.post(f"/works/{shared.pk}/edit", work_form_data(title="Renamed Together"))
    assert response.status_code == 302
    response = client.post(
        f"/works/{shared.pk}/chapters/new",
        {"title": "Bea's Part", "notes": "", "end_notes": "", "body": "Her chapter.", "action": "post"},
    )
    assert response.status_code == 302

    shared.refresh_from_db()
    assert shared.title == "Renamed Together"
    assert shared.chapters.filter(title="Bea's Part").exists()
    assert "Renamed Together" in text(client.get("/dashboard"))


def test_an_invitee_who_hasnt_accepted_has_no_powers(story, ann, bea):
    invite_cocreator(story=story, inviter=ann, username="bea")
    client = logged_in(bea)

    assert client.get(f"/works/{story.pk}/edit").status_code == 404
    assert client.get(f"/works/{story.pk}/chapters/new").status_code == 404
    assert client.get(manage_url(story)).status_code == 404


def test_each_co_creators_works_page_lists_the_work(shared):
    for name in ("ann", "bea"):
        html = text(Client().get(f"/users/{name}/works"))
        assert "The Shared Orchard" in html
        assert 'href="/users/ann/works">ann</a>, <a rel="author" href="/users/bea/works">bea</a>' in html


def test_the_atom_feeds_and_the_e_reader_catalog_name_every_co_creator(shared):
    for url in ("/users/bea/works/feed.atom", "/tags/Persephone/feed.atom", "/opds/new"):
        xml = text(Client().get(url))
        assert "<author><name>ann</name>" in xml, url
        assert "<author><name>bea</name>" in xml, url


def test_the_downloads_name_every_co_creator(shared):
    html = text(Client().get(f"/downloads/{shared.pk}/the-shared-orchard.html"))
    assert '<meta name="author" content="ann, bea">' in html

    epub = zipfile.ZipFile(BytesIO(Client().get(f"/downloads/{shared.pk}/the-shared-orchard.epub").content))
    opf = epub.read("OEBPS/content.opf").decode()
    assert ">ann</dc:creator>" in opf
    assert ">bea</dc:creator>" in opf


def test_search_finds_the_work_by_the_new_co_creators_name(shared):
    html = text(Client().get("/works/search", {"q": "bea"}))

    assert "The Shared Orchard" in html


# The shared page cache: the next logged-out reader sees the new byline.


def cached_twice(client: Client, url: str) -> str:
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    return text(second)


@pytest.mark.parametrize("url", ["work", "/", "/users/bea/works", "/tags/Persephone/works"])
def test_accepting_shows_on_the_next_logged_out_page(story, ann, bea, url):
    url = story.get_absolute_url() if url == "work" else url
    reader = Client()
    assert ">bea</a>" not in cached_twice(reader, url)
    invite_cocreator(story=story, inviter=ann, username="bea")

    accept_invitation(story=story, user=bea)

    assert ">bea</a>" in text(reader.get(url))


@pytest.mark.parametrize("url", ["work", "/", "/users/ann/works", "/tags/Persephone/works"])
def test_leaving_shows_on_the_next_logged_out_page(story, ann, bea, url):
    story.authors.add(bea)
    url = story.get_absolute_url() if url == "work" else url
    reader = Client()
    assert ">bea</a>" in cached_twice(reader, url)

    leave_story(story=story, user=bea)

    assert ">bea</a>" not in text(reader.get(url))
    assert Story.objects.get(pk=story.pk).authors.count() == 1

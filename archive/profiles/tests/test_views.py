import pytest
from django.db import IntegrityError, transaction

from archive.accounts.tests.factories import UserFactory
from archive.profiles.models import Profile
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

PROFILE = {
    "display_name": "Sappho of Lesbos",
    "pronouns": "she/her",
    "about": "I write *lyric* poetry.\n\nMostly <em>fragments</em>.",
    "website": "https://example.org/sappho",
}


def edit(client, **fields):
    return client.post("/profile/edit", {**PROFILE, **fields})


def test_a_profile_nobody_wrote_shows_the_username_and_links_to_the_works(client, author):
    make_story(author=author, title="Ode to Aphrodite")

    response = client.get("/users/author/profile")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>author</h1>" in content
    assert 'href="/users/author/works">Works (1)</a>' in content
    assert 'href="/users/author/bookmarks"' in content
    assert "Edit your profile" not in content
    assert not Profile.objects.exists()


def test_an_unknown_user_has_no_profile_page(client):
    assert client.get("/users/nobody/profile").status_code == 404


def test_the_works_count_leaves_out_drafts(client, author):
    make_story(author=author)
    make_story(author=author, post=False)

    assert "Works (1)</a>" in client.get("/users/author/profile").content.decode()


def test_saving_the_profile_creates_it_and_shows_every_field(author_client, author):
    response = edit(author_client)

    assert response.status_code == 302
    assert response.url == "/users/author/profile"
    profile = Profile.objects.get(user=author)
    assert profile.display_name == "Sappho of Lesbos"
    assert profile.about == "<p>I write *lyric* poetry.</p><p>Mostly <em>fragments</em>.</p>"
    content = author_client.get(response.url).content.decode()
    assert "<h1>Sappho of Lesbos</h1>" in content
    assert '<p class="profile-username">author</p>' in content
    assert "she/her" in content
    assert "<p>Mostly <em>fragments</em>.</p>" in content
    assert '<a href="https://example.org/sappho" rel="nofollow ugc">https://example.org/sappho</a>' in content
    assert "Your profile was saved." in content
    assert 'href="/profile/edit">Edit your profile</a>' in content


def test_saving_again_updates_the_same_profile(author_client, author):
    edit(author_client)
    edit(author_client, pronouns="they/them", website="")

    profile = Profile.objects.get(user=author)
    assert (profile.pronouns, profile.website) == ("they/them", "")
    assert Profile.objects.count() == 1


def test_the_edit_form_shows_what_was_saved(author_client):
    edit(author_client)

    content = author_client.get("/profile/edit").content.decode()

    assert 'value="Sappho of Lesbos"' in content
    assert 'value="https://example.org/sappho"' in content


def test_about_me_is_cleaned_like_a_summary(author_client, author):
    edit(author_client, about='<p onclick="steal()">Hi<script>alert(1)</script></p><a href="javascript:x()">me</a>')

    assert Profile.objects.get(user=author).about == '<p>Hi</p><a rel="nofollow">me</a>'


def test_plain_text_fields_are_shown_escaped(author_client):
    edit(author_client, display_name="<b>Bold</b> & <i>Co</i>", pronouns='"><img src=x>')

    content = author_client.get("/users/author/profile").content.decode()

    assert "<h1>&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;i&gt;Co&lt;/i&gt;</h1>" in content
    assert "&quot;&gt;&lt;img src=x&gt;" in content


def test_a_website_without_a_scheme_becomes_https(author_client, author):
    edit(author_client, website="example.org")

    assert Profile.objects.get(user=author).website == "https://example.org"


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.org/file",
        "mailto:me@example.org",
        "https://",
    ],
)
def test_a_website_that_is_not_a_web_address_is_refused_next_to_the_field(author_client, author, website):
    response = edit(author_client, website=website)

    assert response.status_code == 200
    content = response.content.decode()
    assert '<ul class="errorlist" id="id_website_error"><li>' in content
    field_error = content.split('id="id_website_error"><li>', 1)[1].split("</li>", 1)[0]
    assert (
        field_error
        == "Enter a web address starting with http:// or https:// (other kinds of link can&#x27;t be shown)."
    )
    assert not Profile.objects.exists()


def test_about_me_longer_than_five_thousand_characters_is_refused(author_client):
    response = edit(author_client, about="a" * 5_001)

    assert response.status_code == 200
    assert 'id="id_about_error"' in response.content.decode()
    assert not Profile.objects.exists()


def test_a_display_name_longer_than_a_hundred_characters_is_refused(author_client):
    response = edit(author_client, display_name="n" * 101)

    assert 'id="id_display_name_error"' in response.content.decode()
    assert not Profile.objects.exists()


def test_the_database_refuses_a_website_that_is_not_http(author):
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(user=author, website="javascript:alert(1)")


def test_editing_needs_a_login(client):
    response = client.get("/profile/edit")

    assert response.status_code == 302
    assert response.url.startswith("/users/login?next=/profile/edit")
    assert client.post("/profile/edit", PROFILE).status_code == 403  # with the text given back
    assert not Profile.objects.exists()


def test_the_edit_page_only_ever_edits_the_logged_in_users_own_profile(author_client, author, reader):
    Profile.objects.create(user=reader, display_name="Reader")

    edit(author_client, user=reader.pk, pk=reader.pk, username="reader")

    assert Profile.objects.get(user=reader).display_name == "Reader"
    assert Profile.objects.get(user=author).display_name == "Sappho of Lesbos"


@pytest.mark.parametrize("path", ["/users/reader/profile/edit", "/profile/2/edit", "/profile/edit/reader"])
def test_there_is_no_url_that_edits_someone_elses_profile(author_client, reader, path):
    assert author_client.post(path, PROFILE).status_code == 404
    assert not Profile.objects.exists()


def test_another_users_profile_page_has_no_edit_link(reader_client, author):
    Profile.objects.create(user=author, display_name="Sappho")

    content = reader_client.get("/users/author/profile").content.decode()

    assert "Sappho" in content
    assert "Edit your profile" not in content


def test_the_navigation_and_the_works_page_link_to_the_profile(author_client, client, author):
    assert 'href="/users/author/profile">Profile</a>' in author_client.get("/").content.decode()
    assert 'href="/users/author/profile">Profile</a>' in client.get("/users/author/works").content.decode()


def test_deleting_the_user_deletes_the_profile(author):
    Profile.objects.create(user=author, display_name="Gone")

    author.delete()

    assert not Profile.objects.exists()


def test_the_profile_page_costs_the_same_few_queries_however_many_works(client, django_assert_max_num_queries):
    user = UserFactory(username="prolific")
    Profile.objects.create(user=user, display_name="Prolific", about="<p>Hi</p>")
    make_story(author=user)
    with django_assert_max_num_queries(4):
        assert client.get("/users/prolific/profile").status_code == 200
    for _ in range(5):
        make_story(author=user)

    with django_assert_max_num_queries(4) as captured:
        response = client.get("/users/prolific/profile")

    assert "Works (6)" in response.content.decode()
    assert len(captured.captured_queries) <= 4


def test_the_edit_page_costs_a_fixed_number_of_queries(author_client, django_assert_max_num_queries):
    edit(author_client)

    with django_assert_max_num_queries(6):
        assert author_client.get("/profile/edit").status_code == 200

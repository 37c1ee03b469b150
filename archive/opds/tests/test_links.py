"""Readers and their e-reader apps find the catalog: the front page announces it, every page's
footer links it, and so does a work's Download menu."""

import re
from xml.etree import ElementTree

import pytest

from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"


def assert_is_the_catalog(client, href: str) -> None:
    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"] == NAVIGATION
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"


def test_the_front_page_announces_the_catalog_to_e_reader_apps_in_its_head(client):
    page = client.get("/").content.decode()

    head = page.split("</head>")[0]
    link = re.search(r'<link rel="alternate" type="application/atom\+xml;profile=opds-catalog[^"]*"[^>]*>', head)
    assert link is not None
    assert 'title="' in link.group()
    assert_is_the_catalog(client, re.search(r'href="([^"]+)"', link.group()).group(1))


@pytest.mark.parametrize("path", ["/", "/fandoms", "/works/search"])
def test_every_pages_footer_links_the_catalog(client, path):
    page = client.get(path).content.decode()

    footer = page.split('<footer class="site-footer">')[1]
    href = re.search(r'<a href="([^"]+)"[^>]*>E-book catalog \(OPDS\)</a>', footer).group(1)
    assert_is_the_catalog(client, href)


def test_a_works_download_menu_links_the_catalog(client):
    story = make_story(title="Read It Anywhere")

    page = client.get(story.get_absolute_url()).content.decode()

    menu = page.split("<summary>Download</summary>")[1].split("</details>")[0]
    assert "EPUB" in menu
    href = re.search(r'<a href="([^"]+)"[^>]*>E-reader catalog \(OPDS\)</a>', menu).group(1)
    assert_is_the_catalog(client, href)

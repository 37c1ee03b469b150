"""Smoke test of the SQLite quickstart: migrate a fresh file, load the demo, fetch key pages."""

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with tempfile.TemporaryDirectory() as tmp:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/smoke.sqlite3"
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from archive.stories.models import Story

    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", "--if-empty", verbosity=0)
    story = Story.objects.published().for_cards().order_by("-chapter_count").first()
    tag = story.characters[0]
    chapter = story.chapters.posted().order_by("position").last()
    client = Client()
    # A word of the title, searched for as a reader types it: free text, ranked and by date.
    word = max(story.title.split(), key=len).strip(".,:;!?\"'").lower()
    pages = [
        "/",
        story.get_absolute_url(),
        chapter.get_absolute_url(),
        f"{story.get_absolute_url()}?view_full_work=true",
        tag.get_absolute_url(),
        f"/works/search?{urlencode({'characters': tag.name})}",
        f"/works/search?{urlencode({'q': word})}",
        f"/works/search?{urlencode({'q': f'{word[:3]}*', 'sort': 'updated'})}",
        f"/opds/search?{urlencode({'q': word})}",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert story.title.encode() in response.content, url

    # A logged-in reader's own parts of a work page, read with raw SQL written for both databases.
    from archive.accounts.models import User
    from archive.bookmarks.services import add_to_list, create_bookmark, create_list

    reader = User.objects.create_user("smoke-reader", "smoke@example.org", "smoke-password-1")
    create_bookmark(user=reader, story=story, note="", tags=["smoke-bookmark-tag"])
    add_to_list(reading_list=create_list(user=reader, name="Smoke list"), story=story)
    client.force_login(reader)
    for _ in range(2):  # rendered for the reader, then from the readers' copy where one is kept
        content = client.get(story.get_absolute_url()).content.decode()
        assert "smoke-bookmark-tag" in content and "Smoke list" in content and "smoke-reader" in content
    print(
        f"smoke: SQLite quickstart serves {len(pages)} pages from the demo archive, searches included,"
        " and a logged-in reader's work page"
    )

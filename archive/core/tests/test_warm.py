"""What gunicorn's master loads before it forks its workers (archive/core/warm.py); that the app
it forks from has it all ready is tested in test_deploy.py, in a fresh process as gunicorn's."""

import logging

from django.template import engines

from archive.core.warm import before_fork


def test_a_template_that_does_not_compile_is_logged_and_every_other_one_is_ready(settings, tmp_path, caplog):
    """Without the database (no `db` fixture: pytest-django refuses any query), as before a fork."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "good.html").write_text("<p>{{ word }}</p>")
    (tmp_path / "broken.html").write_text("{% if %}")
    (tmp_path / "notes.md").write_text("{% not a template %}")
    settings.BASE_DIR = tmp_path
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path], "APP_DIRS": False}]

    with caplog.at_level(logging.ERROR, logger="archive.core.warm"):
        before_fork()

    assert [record.getMessage() for record in caplog.records] == ["Template broken.html does not compile"]
    assert list(engines["django"].engine.template_loaders[0].get_template_cache) == ["pages/good.html"]

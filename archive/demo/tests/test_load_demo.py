"""`manage.py load_demo`: the hand-written demo archive."""

import json
from pathlib import Path

from archive.accounts.models import validate_username

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo.json"


def test_demo_users_have_names_the_sign_up_form_would_accept():
    names = [user["username"] for user in json.loads(DEMO.read_text(encoding="utf-8"))["users"]]

    for name in names:
        validate_username(name)
    assert len({name.lower() for name in names}) == len(names)

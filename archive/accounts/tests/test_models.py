"""The username rules hold for every way an account is made or renamed, not only the sign-up form."""

import pytest
from django.core.exceptions import ValidationError

from archive.accounts.models import User
from archive.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_a_look_alike_username_is_refused_by_the_model():
    UserFactory(username="alice")
    impostor = User(username="\u0430lice", password="x")

    with pytest.raises(ValidationError) as refused:
        impostor.full_clean()

    assert "username" in refused.value.message_dict


def test_renaming_to_a_name_taken_in_another_case_is_refused():
    UserFactory(username="alice")
    bob = UserFactory(username="bob")
    bob.username = "Alice"

    with pytest.raises(ValidationError) as refused:
        bob.full_clean()

    assert refused.value.message_dict["username"] == ["That username is taken."]


def test_an_account_named_before_the_rules_keeps_working_until_renamed(client):
    legacy = UserFactory(username="mary-sue.old")
    legacy = User.objects.get(pk=legacy.pk)

    legacy.is_active = False
    legacy.full_clean()  # staff can still change the account (here, deactivate it)
    legacy.is_active = True
    legacy.save()
    assert client.post("/users/login", {"username": "mary-sue.old", "password": PASSWORD}).status_code == 302

    legacy.username = "mary-sue"
    with pytest.raises(ValidationError):
        legacy.full_clean()


def test_staff_renaming_an_account_in_the_admin_meet_the_same_rules(client):
    UserFactory(username="alice")
    bob = UserFactory(username="bob")
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    form = {
        "username": "\u0430lice",
        "password": bob.password,
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "12:00:00",
        "initial-date_joined_0": "2024-01-01",
        "initial-date_joined_1": "12:00:00",
    }

    for name in ["\u0430lice", "ALICE"]:
        response = client.post(f"/admin/accounts/user/{bob.pk}/change/", {**form, "username": name})
        assert response.status_code == 200
        assert "username" in response.context["adminform"].form.errors
    assert User.objects.get(pk=bob.pk).username == "bob"

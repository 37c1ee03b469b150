"""An account's e-mail address: confirming it, and changing it.

An address is trusted (`User.email_verified`) only once a link mailed to it is followed, and a
new address replaces the old one only then. The link carries, signed, the account, the address
the account had when it was sent and the address to confirm: once the account's address is
something else, every older link is dead, so a link is good once for a change and for
`CONFIRMATION_SECONDS` at most.
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse

from archive.accounts.models import User
from archive.core import emails

CONFIRMATION_SECONDS = 3 * 24 * 3600
_SALT = "archive.accounts.email-confirmation"


class InvalidLink(Exception):
    """A confirmation link that is forged, expired or no longer matches the account."""


def confirmation_token(*, user: User, address: str) -> str:
    return signing.dumps({"user": user.pk, "from": user.email, "to": address}, salt=_SALT, compress=True)


def _on_commit_send(*, to: str, template: str, context: dict) -> None:
    # Kept in the outbox with the change and sent in the background once it commits: a mail
    # server that is down must not turn the change into an error page.
    emails.send(to=to, template=template, context=context)


def send_confirmation(*, user: User, address: str | None = None) -> None:
    """Mail a confirmation link to `address` (the account's own address by default), after commit."""
    address = address or user.email
    if not address:
        return
    link = reverse("accounts:confirm_email", args=[confirmation_token(user=user, address=address)])
    changing = address != user.email
    _on_commit_send(
        to=address,
        template="accounts/email/confirm_address",
        context={"username": user.username, "address": address, "path": link, "changing": changing},
    )


def request_email_change(*, user: User, new_address: str) -> None:
    """Ask to change the account's address: nothing changes until the link sent there is followed."""
    send_confirmation(user=user, address=new_address)


def _read(token: str) -> tuple[User, str]:
    try:
        claim = signing.loads(token, salt=_SALT, max_age=CONFIRMATION_SECONDS)
    except signing.BadSignature as error:
        raise InvalidLink from error
    user = User.objects.select_for_update().filter(pk=claim.get("user"), is_active=True).first()
    if user is None or user.email != claim.get("from"):
        raise InvalidLink
    if user.email == claim["to"] and user.email_verified:
        raise InvalidLink  # used already: say so, rather than confirm nothing
    return user, claim["to"]


def confirmation_address(token: str) -> str:
    """The address a link would confirm (to ask before confirming); InvalidLink if it is dead."""
    with transaction.atomic():
        return _read(token)[1]


@transaction.atomic
def confirm_email(*, token: str) -> User:
    """Follow a confirmation link: the address it names becomes the account's, confirmed. A changed
    address's predecessor is told. InvalidLink if the link is forged, expired or already used."""
    user, address = _read(token)
    old = user.email
    user.email, user.email_verified = address, True
    user.save(update_fields=["email", "email_verified"])
    if old and old != address:
        _on_commit_send(
            to=old,
            template="accounts/email/address_changed",
            context={"username": user.username, "old": old, "new": address},
        )
    return user


# The account that keeps orphaned works (the Archive of Our Own's name for it): nobody can log in
# as it, and nobody can sign up with its name.
ORPHAN_ACCOUNT = "orphan_account"


def orphan_account() -> User:
    user, created = User.objects.get_or_create(username=ORPHAN_ACCOUNT, defaults={"email": ""})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.exceptions import ValidationError
from django.db.models import Q

from archive.accounts.models import TAKEN, User
from archive.accounts.services import ORPHAN_ACCOUNT
from archive.core import emails, ratelimits


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email"]

    def clean_username(self):
        username = super().clean_username()
        if username and username.casefold() == ORPHAN_ACCOUNT:  # the orphaned works' account, made when first needed
            raise ValidationError(TAKEN, code="unique")
        return username

    def _post_clean(self):
        super()._post_clean()
        # Django reports a weak password under the confirmation field; it is about the password.
        weak = [
            error for error in self.errors.get("password2", []) if error != self.error_messages["password_mismatch"]
        ]
        if weak:
            self.errors["password2"] = self.error_class([e for e in self.errors["password2"] if e not in weak])
            if not self.errors["password2"]:
                del self.errors["password2"]
            self.errors.setdefault("password1", self.error_class()).extend(weak)

    def full_clean(self):
        super().full_clean()
        if self.errors:  # the cursor goes to the first field to fix, not back to the username
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)
            first = next((name for name in self.fields if name in self.errors), None)
            if first:
                self.fields[first].widget.attrs["autofocus"] = True


class LogInLimits:
    """Failed log-ins, counted per address and per account (RATE_LIMITS "login_address" and
    "login_account"); once either is used up, every attempt is refused with 429, even one with
    the right password, until the window passes.

    Per account, so guessing one account's password from many addresses meets a limit; per
    address too, so one address guessing many accounts does, while a reader who mistypes behind
    a shared address (a school, a library) locks out only their own account. A mixin for every
    log-in form (the site's and the admin's), so no way in is left uncounted. Only failures
    count: a reader who logs in and out all day never meets a limit.
    """

    def _limits(self, username: str) -> list[tuple[str, ratelimits.Key]]:
        # The name in any case counts for one account: "Carol" is a guess at carol's password.
        account = username.casefold()
        return [("login_address", ratelimits.BY_IP), ("login_account", lambda group, request: account)]

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not (username and password):  # nothing was tried; the fields report what is missing
            return super().clean()
        limits = self._limits(username)
        for name, key in limits:
            ratelimits.refuse_if_used_up(self.request, name, key=key)
        try:
            return super().clean()
        except ValidationError:
            for name, key in limits:
                ratelimits.count(self.request, name, key=key)
            raise


class LogInForm(LogInLimits, AuthenticationForm):
    pass


class AdminLogInForm(LogInLimits, AdminAuthenticationForm):
    pass


class ForgottenPasswordForm(PasswordResetForm):
    """Django's reset form, found by e-mail address or username. Its answer is the same whether
    or not an account matched (the view always moves on to "check your e-mail")."""

    email = forms.CharField(label="E-mail address or username", max_length=254)

    def get_users(self, email):
        identifier = email.strip()
        users = User._default_manager.filter(Q(email__iexact=identifier) | Q(username__iexact=identifier))
        return (user for user in users.filter(is_active=True).exclude(email="") if user.has_usable_password())

    def save(self, **kwargs):
        # Links point at the archive's own address, never at whatever Host the request named.
        kwargs["extra_email_context"] = {**(kwargs.get("extra_email_context") or {}), **emails.site_context()}
        return super().save(**kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        # Through the outbox, sent in the background: the answer takes as long whether or not an
        # account matched, so its timing tells nobody which addresses have accounts.
        emails.send(to=to_email, template=email_template_name.removesuffix(".txt"), context=context)


RULES_HELP = "At least 8 characters, not all digits, not a common password, and not like your username or address."


class WeakPasswordUnderItself:
    """Django reports a weak new password under its confirmation; it is about the password. Its
    rules are said in a sentence (Django's help is a list, which can't sit in the help paragraph)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = RULES_HELP

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class NewPasswordForm(WeakPasswordUnderItself, SetPasswordForm):
    pass


class ChangePasswordForm(WeakPasswordUnderItself, PasswordChangeForm):
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class PasswordCheck(forms.Form):
    """A form that asks for the account's password before it does anything to the account."""

    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("That isn't your password.", code="password_incorrect")
        return password


class ChangeEmailForm(PasswordCheck):
    email = forms.EmailField(
        label="New e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    field_order = ["email", "password"]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if email.casefold() == self.user.email.casefold():
            raise ValidationError("That is your address already.", code="unchanged")
        return email


class DeleteAccountForm(PasswordCheck):
    """The password, and what becomes of the account's own posted works if it has any.

    The choices are the story app's (`Works`), passed in: accounts sit below stories."""

    works = forms.ChoiceField(label="What should happen to your works?", widget=forms.RadioSelect)
    field_order = ["works", "password"]

    def __init__(self, user: User, *args, choices, has_works: bool, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["works"].choices = choices
        if not has_works:  # nothing to decide: drafts and shared works have one fate
            del self.fields["works"]

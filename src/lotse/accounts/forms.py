from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Language, Role, TokenScope
from lotse.notifications.models import MailPurpose
from lotse.notifications.services import mail_queue
from lotse.web.forms import KernForm, KernFormMixin


class LoginForm(KernFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "E-mail address or password is not correct. Check both and try again; "
            "after several failed attempts the account is locked for a while."
        ),
        "inactive": _(
            "This account has been deactivated. Ask the administrator of your organisation."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})


class LotsePasswordResetForm(KernFormMixin, PasswordResetForm):
    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Into the outbox, in the user's language: the page answers even when mail is down."""
        user = context.get("user")
        language = getattr(user, "language", "") or "de"
        with translation.override(language):
            subject = render_to_string(subject_template_name, context)
            body = render_to_string(email_template_name, context)
        mail_queue(
            to=to_email,
            subject=subject,
            body=body,
            language=language,
            purpose=MailPurpose.PASSWORD_RESET,
        )


class LotseSetPasswordForm(KernFormMixin, SetPasswordForm):  # type: ignore[type-arg]
    pass


class InvitationForm(KernForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]  # type: ignore[attr-defined]


class AcceptInvitationForm(KernForm):
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not only digits and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(label=_("Language for e-mails"), choices=Language.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error(
                "password2", _("The two passwords differ. Type the same password twice.")
            )
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class TokenForm(KernForm):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("Say where it is used, e.g. “HR system”. You can revoke it at any time."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        required=False,
        help_text=_("A read-only token can look at data but change nothing."),
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: 90 days from today. At most one year."),
    )


class SecondFactorCodeForm(KernForm):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class SecondFactorVerifyForm(KernForm):
    token = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class SecurityKeyForm(KernForm):
    """The name of a new security key; the browser fills in its answer (static/accounts/webauthn.js)."""

    name = forms.CharField(
        label=_("Name of the key"),
        help_text=_(
            "So that you can tell your keys apart, for example “Blue USB key” or “Laptop”."
        ),
        max_length=64,
    )
    credential = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20_000)

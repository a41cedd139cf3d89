from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, TimestampMixin

from lotse.core.choices import ChoiceLabels
from lotse.organisations.models import Organisation, OrganisationKind


class Role(models.TextChoices):
    COMPANY_ADMIN = "company_admin", _("Company administrator")
    COMPANY_HR = "company_hr", _("Company HR")
    CHAMBER_ADVISOR = "chamber_advisor", _("Chamber advisor")
    CHAMBER_LEAD = "chamber_lead", _("Chamber lead")
    ABH_CASEWORKER = "abh_caseworker", _("Immigration office caseworker")
    ABH_LEAD = "abh_lead", _("Immigration office lead")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


# Which organisation kind each role belongs to; the platform administrator belongs to none.
ROLE_ORGANISATION_KIND: dict[str, str | None] = {
    Role.COMPANY_ADMIN: OrganisationKind.COMPANY,
    Role.COMPANY_HR: OrganisationKind.COMPANY,
    Role.CHAMBER_ADVISOR: OrganisationKind.CHAMBER,
    Role.CHAMBER_LEAD: OrganisationKind.CHAMBER,
    Role.ABH_CASEWORKER: OrganisationKind.AUTHORITY,
    Role.ABH_LEAD: OrganisationKind.AUTHORITY,
    Role.PLATFORM_ADMIN: None,
}

# The roles that manage the staff of their own organisation, and the roles they may hand out.
STAFF_MANAGERS: dict[str, tuple[str, ...]] = {
    Role.COMPANY_ADMIN: (Role.COMPANY_ADMIN, Role.COMPANY_HR),
    Role.CHAMBER_LEAD: (Role.CHAMBER_LEAD, Role.CHAMBER_ADVISOR),
    Role.ABH_LEAD: (Role.ABH_LEAD, Role.ABH_CASEWORKER),
}


class Language(models.TextChoices):
    DE = "de", _("German")
    EN = "en", _("English")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("role", Role.PLATFORM_ADMIN)
        fields.setdefault("full_name", "Platform administrator")
        return self.create_user(email, password, **fields)


class User(ChoiceLabels, AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    language = models.CharField(
        _("language for e-mails"), max_length=2, choices=Language.choices, default=Language.DE
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ("full_name", "email")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(role="platform_admin") | models.Q(organisation__isnull=False),
                name="user_has_organisation_unless_platform_admin",
            ),
        )

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        return self.role == Role.PLATFORM_ADMIN

    @property
    def is_platform_admin(self) -> bool:
        return self.role == Role.PLATFORM_ADMIN

    @property
    def is_company_user(self) -> bool:
        return self.role in (Role.COMPANY_ADMIN, Role.COMPANY_HR)

    @property
    def is_chamber_user(self) -> bool:
        return self.role in (Role.CHAMBER_ADVISOR, Role.CHAMBER_LEAD)

    @property
    def is_authority_user(self) -> bool:
        return self.role in (Role.ABH_CASEWORKER, Role.ABH_LEAD)

    @property
    def manageable_roles(self) -> tuple[str, ...]:
        return STAFF_MANAGERS.get(self.role, ())


class Invitation(models.Model):
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), on_delete=models.PROTECT, related_name="+"
    )
    # Only a hash is kept: the link in the e-mail is the sole copy of the secret.
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiToken(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters identify a token in lists without revealing it.
    prefix = models.CharField(_("beginning"), max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    scope = models.CharField(
        _("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ_WRITE
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def is_expired(self) -> bool:
        return self.revoked_at is None and self.expires_at <= timezone.now()

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE


class SecondFactorPolicy(models.Model):
    """An organisation's own rule: every member must sign in with a second factor."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="second_factor_policy",
    )
    required = models.BooleanField(_("second factor required"), default=False)

    class Meta:
        verbose_name = _("second-factor rule")
        verbose_name_plural = _("second-factor rules")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.required}"


# --- WebAuthn (ADR 0026) ------------------------------------------------------------------------


# django-otp has no type information: its Device is Any to mypy.
class WebAuthnCredential(TimestampMixin, Device):  # type: ignore[misc]
    """A security key or passkey of one person, registered as a second factor (WebAuthn).

    A django-otp device: ``devices_for_user`` finds it, ``otp_login`` marks a session verified
    with it, and the second-factor middleware, recovery codes and the organisation's rule treat
    it like the authenticator app. It has no typed code; ``verify_token`` stays False.
    """

    # The authenticator's credential id, base64url; at most 1023 bytes (WebAuthn § 5.1).
    credential_id: models.CharField[str, str] = models.CharField(
        _("credential id"), max_length=1400, unique=True
    )
    # COSE_Key of the credential (RFC 9052), as the authenticator sent it.
    public_key: models.BinaryField[bytes, bytes] = models.BinaryField(_("public key"))
    # The authenticator's signature counter (32 bits); a lower value than the last one seen
    # means a cloned key (WebAuthn § 6.1.1) and is refused.
    sign_count: models.PositiveBigIntegerField[int, int] = models.PositiveBigIntegerField(
        _("signature counter"), default=0
    )
    transports = models.JSONField(_("transports"), default=list, blank=True)
    aaguid: models.CharField[str, str] = models.CharField(
        _("authenticator model"), max_length=36, blank=True
    )

    class Meta:
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")
        ordering = ("created_at", "pk")

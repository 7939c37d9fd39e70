"""People, their roles in networks and cities, invitations, and API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in with an e-mail address. Platform admins are `is_staff`."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform admin"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class Role(models.TextChoices):
    NETWORK_COORDINATOR = "network_coordinator", _("network coordinator")
    LEAD_EXPERT = "lead_expert", _("lead expert")
    EXPERT = "expert", _("expert")
    CITY_COORDINATOR = "city_coordinator", _("city coordinator")
    LSG_MEMBER = "lsg_member", _("Local Support Group member")


NETWORK_ROLES = {Role.NETWORK_COORDINATOR, Role.LEAD_EXPERT, Role.EXPERT}
CITY_ROLES = {Role.CITY_COORDINATOR, Role.LSG_MEMBER}


class ScopedRole(models.Model):
    """A role in exactly one network or exactly one city; shared by memberships and invitations."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    network = models.ForeignKey(
        "networks.Network",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("network"),
    )
    city = models.ForeignKey(
        "networks.City",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("city"),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.role in NETWORK_ROLES and (self.network_id is None or self.city_id is not None):
            raise ValidationError({"network": _("This role belongs to a network, not to a city.")})
        if self.role in CITY_ROLES and (self.city_id is None or self.network_id is not None):
            raise ValidationError({"city": _("This role belongs to a city, not to a network.")})

    @property
    def scope(self):
        return self.network if self.network_id else self.city

    @classmethod
    def scope_constraint(cls, name: str) -> models.CheckConstraint:
        # Sorted: a set iterates in a different order per process, which made the constraint
        # look changed to makemigrations.
        network_roles = sorted(role.value for role in NETWORK_ROLES)
        city_roles = sorted(role.value for role in CITY_ROLES)
        return models.CheckConstraint(
            name=name,
            condition=(
                models.Q(role__in=network_roles, network__isnull=False, city__isnull=True)
                | models.Q(role__in=city_roles, city__isnull=False, network__isnull=True)
            ),
        )


class Membership(ScopedRole):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            ScopedRole.scope_constraint("membership_role_matches_scope"),
            models.UniqueConstraint(
                fields=["user", "role", "network"],
                condition=models.Q(network__isnull=False),
                name="unique_network_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "city"],
                condition=models.Q(city__isnull=False),
                name="unique_city_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.scope}"


class Invitation(ScopedRole):
    """An invitation sent by a coordinator; accepting it creates the account (if needed) and the membership."""

    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    message = models.TextField(_("personal message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [ScopedRole.scope_constraint("invitation_role_matches_scope")]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()} — {self.scope}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A token for scripts: sent as `Authorization: Bearer <token>`; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

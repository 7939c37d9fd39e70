"""Invitations, memberships and API tokens: every write in one transaction."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conet.accounts.models import ApiToken, Invitation, Membership, User
from conet.accounts.roles import forget_roles
from conet.core import audit
from conet.core.activity import record_activity


def invite(
    *, by, email: str, role: str, scope, allowed_roles, message: str = "", base_url: str = ""
):
    """Invite `email` to `role` in `scope` (a network or a city); mail goes out once the row is committed.

    `allowed_roles` is what the inviting user may hand out there (see networks.rules.invitable_roles).
    Returns the invitation and the one-time token.
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from exc
    if role not in allowed_roles:
        raise PermissionDenied("role not allowed here")
    scope_field = "network" if scope._meta.model_name == "network" else "city"
    if Membership.objects.filter(
        user__email__iexact=email, role=role, **{scope_field: scope}
    ).exists():
        raise ValidationError({"email": _("This person already has this role here.")})
    if Invitation.objects.filter(
        email__iexact=email,
        role=role,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
        **{scope_field: scope},
    ).exists():
        raise ValidationError(
            {"email": _("An invitation to this role is already waiting for this address.")}
        )
    token = Invitation.new_token()
    with transaction.atomic():
        invitation = Invitation(
            email=email,
            role=role,
            invited_by=by,
            message=message.strip(),
            token_hash=Invitation.hash_token(token),
            expires_at=timezone.now() + timedelta(days=settings.CONET_INVITATION_DAYS),
            **{scope_field: scope},
        )
        invitation.full_clean(exclude=["token_hash"])
        invitation.save()
        audit.record(
            "invitation.sent",
            actor=by,
            about=invitation,
            summary=f"{email} as {role} in {scope}",
        )
        transaction.on_commit(lambda: _send_invitation(invitation, token, base_url), robust=True)
    return invitation, token


def _send_invitation(invitation: Invitation, token: str, base_url: str) -> None:
    existing = User.objects.filter(email__iexact=invitation.email).first()
    language = existing.language if existing else translation.get_language() or "en"
    with translation.override(language):
        link = base_url.rstrip("/") + reverse("accounts:accept_invitation", args=[token])
        context = {"invitation": invitation, "link": link, "scope": invitation.scope}
        subject = _("You are invited to %(scope)s on CoNet") % {"scope": invitation.scope}
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def find_invitation(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("network", "city", "invited_by")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    return invitation


@transaction.atomic
def accept_invitation(
    invitation: Invitation, *, user: User | None, name: str = "", password: str = ""
) -> Membership:
    """Take up an invitation: signed in as the invited address, or by creating that account now."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired. Ask for a new one."))
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account with this address exists: sign in first."))
        user = User(email=invitation.email, name=name.strip())
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
    elif user.email.lower() != invitation.email.lower():
        raise PermissionDenied("invitation is for another address")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, role=invitation.role, network=invitation.network, city=invitation.city
            )
    except IntegrityError:
        membership = Membership.objects.get(
            user=user, role=invitation.role, network=invitation.network, city=invitation.city
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_roles(user)
    audit.record(
        "membership.granted",
        actor=user,
        about=membership,
        summary=f"{user.email} as {membership.role} in {invitation.scope} (invited by "
        f"{invitation.invited_by.email if invitation.invited_by else 'someone'})",
    )
    record_activity(
        kind="membership.joined",
        scope=invitation.scope,
        actor=user,
        data={"name": user.name, "role": str(membership.get_role_display())},
    )
    return membership


@transaction.atomic
def revoke_membership(membership: Membership, *, by) -> None:
    if not by.has_perm("networks.revoke_membership", membership):
        raise PermissionDenied("networks.revoke_membership")
    audit.record(
        "membership.revoked",
        actor=by,
        about=membership,
        summary=f"{membership.user.email} as {membership.role} in "
        f"{membership.network or membership.city}",
    )
    membership.delete()
    forget_roles(membership.user)


@transaction.atomic
def withdraw_invitation(invitation: Invitation, *, by) -> None:
    perm = "networks.invite_to_network" if invitation.network_id else "networks.invite_to_city"
    if not by.has_perm(perm, invitation.scope):
        raise PermissionDenied(perm)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    audit.record(
        "invitation.withdrawn",
        actor=by,
        about=invitation,
        summary=f"{invitation.email} as {invitation.role} in {invitation.scope}",
    )
    invitation.delete()


@transaction.atomic
def create_api_token(user: User, *, name: str) -> tuple[ApiToken, str]:
    """A new token; the key is shown once and only its hash is kept."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Keep the name under 100 characters.")})
    key = "conet_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[6:14], key_hash=ApiToken.hash_key(key)
    )
    audit.record("api_token.created", actor=user, summary=f"{name} ({token.prefix}…)")
    return token, key


@transaction.atomic
def delete_api_token(token: ApiToken, *, by) -> None:
    if token.user_id != by.pk:
        raise PermissionDenied("not your token")
    audit.record("api_token.deleted", actor=by, summary=f"{token.name} ({token.prefix}…)")
    token.delete()


def user_for_api_key(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def delete_account(user: User, *, password: str) -> None:
    """Article 17: the account and what only concerns its person go; what the record needs (a plan's
    history, a workshop's protocol, a consultation's votes) stays, anonymised. Every app's part is
    declared in its privacy.py; all of it happens in this one transaction or not at all."""
    from conet.accounts import personal_data, selectors

    if not user.is_authenticated or not user.check_password(password):
        raise ValidationError({"password": _("This is not your password.")})
    orphaned = selectors.sole_coordinator_scopes(user)
    if orphaned:
        raise ValidationError(
            _(
                "You are the only coordinator of %(scopes)s. Invite someone to take over the role "
                "first; then you can delete your account."
            )
            % {"scopes": ", ".join(str(scope) for scope in orphaned)}
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    personal_data.erase_parts(user)
    # The security record keeps that an account went, not whose: its address leaves with it.
    audit.record("account.deleted", summary=f"account #{user.pk}")
    user.delete()


def erase_inactive_invitations(now=None) -> int:
    """Retention: an invitation that expired unaccepted is deleted, with the address it was sent
    to, CONET_RETENTION_INVITATION_DAYS days after it expired. Returns how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONET_RETENTION_INVITATION_DAYS)
    with transaction.atomic():
        deleted, _by_model = Invitation.objects.filter(
            accepted_at__isnull=True, expires_at__lte=cutoff
        ).delete()
    return deleted

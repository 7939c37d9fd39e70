"""Every write to Local Support Groups and their stakeholders, one transaction each."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conet.core.activity import record_activity
from conet.core.concurrency import EditConflict, update_versioned
from conet.core.permissions import require
from conet.localgroups.models import LocalSupportGroup, Stakeholder
from conet.networks.models import Partnership

GROUP_FIELDS = ["purpose", "self_assessment"]
STAKEHOLDER_FIELDS = [
    "name", "organisation", "sector", "kind", "power", "interest", "is_member", "user", "notes",
    "email", "phone",
]  # fmt: skip


def group_of(partnership: Partnership) -> LocalSupportGroup:
    """The partnership's group, created empty the first time anyone needs it."""
    group, _created = LocalSupportGroup.objects.get_or_create(partnership=partnership)
    return group


@transaction.atomic
def update_group(group: LocalSupportGroup, *, by, expected_version: int, changes: dict):
    require(by, "localgroups.change_group", group)
    changes = {name: value for name, value in changes.items() if name in GROUP_FIELDS}
    return update_versioned(group, expected_version, changes)


def _check_unique_name(group, name: str, exclude_pk=None) -> None:
    others = Stakeholder.objects.filter(group=group, name=name)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError({"name": _("The group already has a stakeholder of this name.")})


@transaction.atomic
def add_stakeholder(
    group: LocalSupportGroup, *, by, consent: bool = False, **fields
) -> Stakeholder:
    """A new stakeholder; e-mail and telephone are kept only when `consent` is recorded now."""
    require(by, "localgroups.change_group", group)
    fields = {name: value for name, value in fields.items() if name in STAKEHOLDER_FIELDS}
    stakeholder = Stakeholder(
        group=group, consent_given_at=timezone.now() if consent else None, **fields
    )
    stakeholder.full_clean(validate_unique=False, validate_constraints=False)
    _check_unique_name(group, stakeholder.name)
    stakeholder.save()
    record_activity(
        kind="stakeholder.added",
        scope=group.partnership.network,
        actor=by,
        data={"city": group.partnership.city.name, "name": stakeholder.name},
        public=False,
    )
    return stakeholder


@transaction.atomic
def update_stakeholder(
    stakeholder: Stakeholder,
    *,
    by,
    expected_version: int,
    changes: dict,
    consent: bool | None = None,
):
    """Saved unless someone saved the stakeholder meanwhile.

    `consent` True records consent now (if none is recorded); False withdraws it, and the contact
    details go in the same write; None leaves it as it is.
    """
    require(by, "localgroups.change_group", stakeholder)
    changes = {name: value for name, value in changes.items() if name in STAKEHOLDER_FIELDS}
    probe = Stakeholder.objects.get(pk=stakeholder.pk)
    if consent is True and probe.consent_given_at is None:
        changes["consent_given_at"] = timezone.now()
    elif consent is False:
        changes.update(consent_given_at=None, email="", phone="")
    for name, value in changes.items():
        setattr(probe, name, value)
    probe.full_clean(validate_unique=False, validate_constraints=False)
    if "name" in changes:
        _check_unique_name(stakeholder.group_id, changes["name"], exclude_pk=stakeholder.pk)
    saved = update_versioned(stakeholder, expected_version, changes)
    _stakeholder_event("stakeholder.changed", saved, by)
    return saved


def _stakeholder_event(kind: str, stakeholder: Stakeholder, by) -> None:
    partnership = stakeholder.group.partnership
    record_activity(
        kind=kind,
        scope=partnership.network,
        actor=by,
        data={"city": partnership.city.name, "name": stakeholder.name},
        public=False,
    )


@transaction.atomic
def remove_stakeholder(stakeholder: Stakeholder, *, by, expected_version: int) -> None:
    """Removed with its contact details; actions that named it as a partner no longer do.

    Refused with `EditConflict` when someone changed the stakeholder after the page was loaded.
    """
    require(by, "localgroups.change_group", stakeholder)
    deleted, _rows = Stakeholder.objects.filter(
        pk=stakeholder.pk, version=expected_version
    ).delete()
    if not deleted:
        current = Stakeholder.objects.filter(pk=stakeholder.pk).first()
        if current is None:
            return
        raise EditConflict(current, [])
    _stakeholder_event("stakeholder.removed", stakeholder, by)


@transaction.atomic
def record_consent(stakeholder: Stakeholder, *, by) -> Stakeholder:
    require(by, "localgroups.change_group", stakeholder)
    Stakeholder.objects.filter(pk=stakeholder.pk).update(consent_given_at=timezone.now())
    return Stakeholder.objects.get(pk=stakeholder.pk)


@transaction.atomic
def withdraw_consent(stakeholder: Stakeholder, *, by) -> Stakeholder:
    """Consent withdrawn: the contact details go in the same write, so none outlive it."""
    require(by, "localgroups.change_group", stakeholder)
    Stakeholder.objects.filter(pk=stakeholder.pk).update(consent_given_at=None, email="", phone="")
    return Stakeholder.objects.get(pk=stakeholder.pk)

"""Every write to networks, cities and partnerships: one function per use case, one transaction each."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conet.core.activity import record_activity
from conet.core.concurrency import update_versioned
from conet.core.permissions import require
from conet.networks import core_tasks
from conet.networks.models import City, CoreTask, Network, Partnership, check_language_codes

NETWORK_TEXT_FIELDS = [
    "name", "acronym", "theme", "objectives", "activities", "results", "programme", "funding",
    "start_date", "end_date", "status", "contacts", "language",
]  # fmt: skip
PARTNERSHIP_FIELDS = ["role", "focus_area_name", "focus_area_slug", "focus_area_description"]
RESERVED_CITY_SLUGS = {"new"}  # /cities/new/ is the form
CITY_FIELDS = ["name", "country", "population", "latitude", "longitude", "languages", "description"]


def _validate(instance, changes: dict, exclude: list[str] | None = None) -> None:
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


@transaction.atomic
def create_network(*, by, with_default_core_tasks: bool = True, **fields) -> Network:
    """A new network (platform admins), with the seven core tasks of the Guide unless told otherwise."""
    require(by, "networks.add_network", None)
    network = Network(**fields)
    network.full_clean()
    network.save()
    if with_default_core_tasks:
        set_default_core_tasks(network)
    record_activity(kind="network.created", scope=network, actor=by, data={"network": network.name})
    return network


def set_default_core_tasks(network: Network) -> None:
    for number, (english, original) in enumerate(core_tasks.DEFAULT_CORE_TASKS, start=1):
        CoreTask.objects.update_or_create(
            network=network,
            number=number,
            defaults={
                "names": core_tasks.translated_names(english),
                "original_name": original,
                "colour": core_tasks.COLOURS[number - 1],
            },
        )


@transaction.atomic
def update_network(network: Network, *, by, expected_version: int, changes: dict) -> Network:
    require(by, "networks.change_network", network)
    changes = {name: value for name, value in changes.items() if name in NETWORK_TEXT_FIELDS}
    _validate(Network.objects.get(pk=network.pk), changes, exclude=["slug"])
    network = update_versioned(network, expected_version, changes)
    record_activity(kind="network.updated", scope=network, actor=by, public=False)
    return network


def _with_focus_area_slug(partnership: Partnership) -> None:
    """Fill in the focus area's address from its name, or check the one given: an address taken by
    another page is refused when given and avoided ("plan" → plan-2) when made from the name."""
    if not partnership.focus_area_name.strip():
        partnership.focus_area_slug = ""
        return
    given = partnership.focus_area_slug
    if not given:
        partnership.focus_area_slug = partnership.free_focus_area_slug()
    elif partnership.focus_area_address_taken(given):
        raise ValidationError(
            {"focus_area_slug": _("This address is taken by another page; choose another.")}
        )


@transaction.atomic
def add_partnership(network: Network, city: City, *, by, **fields) -> Partnership:
    require(by, "networks.manage_partnerships", network)
    partnership = Partnership(network=network, city=city, **fields)
    _with_focus_area_slug(partnership)
    partnership.full_clean(validate_unique=False, validate_constraints=False)
    if Partnership.objects.filter(network=network, city=city).exists():
        raise ValidationError({"city": _("%(city)s is already a partner.") % {"city": city.name}})
    if (
        partnership.role == Partnership.Role.LEAD_PARTNER
        and network.partnerships.filter(role=Partnership.Role.LEAD_PARTNER).exists()
    ):
        raise ValidationError({"role": _("The network already has a lead partner.")})
    try:
        with transaction.atomic():
            partnership.save()
    except IntegrityError as exc:
        # Two coordinators adding the same city (or two lead partners) at the same moment.
        raise ValidationError(
            _("Someone else changed the partners at the same time; reload and try again.")
        ) from exc
    record_activity(
        kind="partnership.added",
        scope=network,
        actor=by,
        data={"city": city.name, "role": str(partnership.get_role_display())},
        link=city.get_absolute_url(),
    )
    return partnership


@transaction.atomic
def update_partnership(
    partnership: Partnership, *, by, expected_version: int, changes: dict
) -> Partnership:
    require(by, "networks.manage_partnerships", partnership.network)
    changes = {name: value for name, value in changes.items() if name in PARTNERSHIP_FIELDS}
    if (
        changes.get("role") == Partnership.Role.LEAD_PARTNER
        and partnership.network.partnerships.filter(role=Partnership.Role.LEAD_PARTNER)
        .exclude(pk=partnership.pk)
        .exists()
    ):
        raise ValidationError({"role": _("The network already has a lead partner.")})
    checked = Partnership.objects.select_related("network", "city").get(pk=partnership.pk)
    _validate(checked, changes)
    _with_focus_area_slug(checked)
    changes["focus_area_slug"] = checked.focus_area_slug
    try:
        with transaction.atomic():
            updated = update_versioned(partnership, expected_version, changes)
    except IntegrityError as exc:
        # Two coordinators making two cities lead partner at the same moment.
        raise ValidationError({"role": _("The network already has a lead partner.")}) from exc
    record_activity(
        kind="partnership.updated",
        scope=partnership.network,
        actor=by,
        data={"city": partnership.city.name, "focus_area": updated.focus_area_name},
        link=partnership.city.get_absolute_url(),
    )
    return updated


@transaction.atomic
def remove_partnership(partnership: Partnership, *, by) -> None:
    require(by, "networks.manage_partnerships", partnership.network)
    record_activity(
        kind="partnership.removed",
        scope=partnership.network,
        actor=by,
        data={"city": partnership.city.name},
    )
    partnership.delete()


@transaction.atomic
def create_city(*, by, slug: str = "", **fields) -> City:
    """A new city (platform admins). Its address comes from its name unless one is given; a name
    already taken gets a number ("Frankfurt" → frankfurt-2), a given address that is taken is refused."""
    require(by, "networks.add_city", None)
    fields = _decimal_coordinates({n: v for n, v in fields.items() if n in CITY_FIELDS})
    if slug in RESERVED_CITY_SLUGS:
        raise ValidationError({"slug": _("This address is taken by a page of CoNet.")})
    city = City(slug=slug or _free_slug(fields.get("name", "")), **fields)
    city.full_clean()
    city.save()
    record_activity(kind="city.created", scope=city, actor=by, data={"city": city.name})
    return city


def _decimal_coordinates(fields: dict) -> dict:
    """Coordinates sent as floats (the API) kept to the six decimals the model stores (~0.1 m)."""
    for name in ("latitude", "longitude"):
        if isinstance(fields.get(name), float):
            fields[name] = Decimal(str(round(fields[name], 6)))
    return fields


def _free_slug(name: str) -> str:
    base = slugify(name)[:70] or "city"
    taken = set(City.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_CITY_SLUGS
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@transaction.atomic
def update_city(city: City, *, by, expected_version: int, changes: dict) -> City:
    require(by, "networks.change_city", city)
    changes = _decimal_coordinates({n: v for n, v in changes.items() if n in CITY_FIELDS})
    _validate(City.objects.get(pk=city.pk), changes, exclude=["slug"])
    return update_versioned(city, expected_version, changes)


@transaction.atomic
def post_update(network: Network, *, by, text: str, language: str, link: str = ""):
    """A news item in the network's "In action" feed, written by its coordinator or lead expert."""
    require(by, "networks.post_update", network)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write something to post.")})
    if len(text) > 2000:
        raise ValidationError({"text": _("Keep an update under 2,000 characters.")})
    check_language_codes("language", [language])
    return record_activity(
        kind="update", scope=network, actor=by, text=text, language=language, link=link
    )

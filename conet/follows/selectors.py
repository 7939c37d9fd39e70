"""What can be followed, and which public events a follower has not been told about yet."""

from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext as _

from conet.core.activity import events_for
from conet.core.models import ActivityEvent
from conet.follows.models import Follow
from conet.networks.models import City, Network, Partnership


@dataclass(frozen=True)
class Target:
    """A thing one may follow: a network, a city, or a focus area (a partnership that names one)."""

    kind: str
    obj: Network | City | Partnership

    @property
    def key(self) -> str:
        """How a form names the target: "city:3", "network:1", "focus_area:7"."""
        return f"{self.kind}:{self.obj.pk}"

    @property
    def name(self) -> str:
        if self.kind == Follow.Kind.FOCUS_AREA:
            return _("%(area)s in %(city)s") % {
                "area": self.obj.focus_area_name,
                "city": self.obj.city.name,
            }
        return self.obj.name

    @property
    def choice_label(self) -> str:
        """How the follow form offers it, beside its siblings on the same page."""
        if self.kind == Follow.Kind.FOCUS_AREA:
            return _("The focus area %(area)s (%(network)s)") % {
                "area": self.obj.focus_area_name,
                "network": self.obj.network.name,
            }
        if self.kind == Follow.Kind.CITY:
            return _("Everything public about %(city)s") % {"city": self.obj.name}
        return self.obj.name

    @property
    def page_url(self) -> str:
        if self.kind == Follow.Kind.FOCUS_AREA:
            return self.obj.city.get_absolute_url()
        return self.obj.get_absolute_url()

    def follow_fields(self) -> dict:
        field = {"focus_area": "partnership"}.get(self.kind, self.kind)
        return {"kind": self.kind, field: self.obj}


def target_from_key(key: str) -> Target | None:
    """The target a form or a signed link names, or None when it no longer exists."""
    kind, _sep, pk = (key or "").partition(":")
    if not pk.isdigit():
        return None
    if kind == Follow.Kind.NETWORK:
        obj = Network.objects.filter(pk=pk).first()
    elif kind == Follow.Kind.CITY:
        obj = City.objects.filter(pk=pk).first()
    elif kind == Follow.Kind.FOCUS_AREA:
        obj = (
            Partnership.objects.select_related("city", "network")
            .filter(pk=pk)
            .exclude(focus_area_name="")
            .first()
        )
    else:
        return None
    return Target(kind, obj) if obj is not None else None


def target_of(follow: Follow) -> Target:
    return Target(follow.kind, follow.target)


def targets_on_city_page(city: City) -> list[Target]:
    """The city, then each focus area it works on; from the page's prefetched partnerships."""
    targets = [Target(Follow.Kind.CITY, city)]
    for partnership in city.partnerships.all():
        if partnership.focus_area_name:
            partnership.city = city  # the page's own row: naming the area costs no query
            targets.append(Target(Follow.Kind.FOCUS_AREA, partnership))
    return targets


def latest_event_id() -> int:
    return ActivityEvent.objects.aggregate(latest=Max("pk"))["latest"] or 0


def public_events_of(follow: Follow):
    """The public events that concern what `follow` follows, oldest first.

    A network: its own events. A city: its own events, and the events of each of its networks that
    are about it (the city's name in the event's data, as network events record it). A focus area:
    the city's own events and the events of the area's network about that city — the platform does
    not record which part of a city an event is about, so the area's news is its city's news in
    its network.
    """
    if follow.kind == Follow.Kind.NETWORK:
        events = events_for([follow.network], public_only=True)
    else:
        city = follow.city if follow.kind == Follow.Kind.CITY else follow.partnership.city
        if follow.kind == Follow.Kind.CITY:
            networks = list(Network.objects.filter(partnerships__city=city))
        else:
            networks = [follow.partnership.network]
        events = events_for([city], public_only=True)
        if networks:
            events = events | events_for(networks, public_only=True).filter(data__city=city.name)
    return events.order_by("pk")


def new_events_for(follow: Follow, *, created_before, limit: int) -> list[ActivityEvent]:
    """Up to `limit` public events after the follower's cursor, recorded before `created_before`."""
    return list(
        public_events_of(follow).filter(pk__gt=follow.sent_through, created_at__lt=created_before)[
            :limit
        ]
    )


def follow_named_by(follow_id: int) -> Follow | None:
    """The follow an unsubscribe link names, if it still exists."""
    return (
        Follow.objects.select_related(
            "network", "city", "partnership__city", "partnership__network"
        )
        .filter(pk=follow_id)
        .first()
    )

from conet.accounts.models import Invitation, Membership, Role
from conet.core.attention import attention_for


def dashboard_for(user) -> dict:
    """What the signed-in dashboard shows: the user's networks and cities and what needs them."""
    memberships = list(
        Membership.objects.filter(user=user).select_related("network", "city").order_by("role")
    )
    networks = {}
    cities = {}
    for membership in memberships:
        if membership.network_id:
            networks.setdefault(membership.network, []).append(membership.get_role_display())
        else:
            cities.setdefault(membership.city, []).append(membership.get_role_display())
    coordinated_networks = [
        m.network_id for m in memberships if m.network_id and m.role == "network_coordinator"
    ]
    coordinated_cities = [
        m.city_id for m in memberships if m.city_id and m.role == "city_coordinator"
    ]
    pending = list(
        Invitation.objects.filter(accepted_at__isnull=True, invited_by=user)
        .select_related("network", "city")
        .order_by("-created_at")[:20]
    )
    return {
        "networks": sorted(networks.items(), key=lambda item: item[0].name),
        "cities": sorted(cities.items(), key=lambda item: item[0].name),
        "pending_invitations": pending,
        "attention": attention_for(user),
        "coordinates_something": bool(coordinated_networks or coordinated_cities),
    }


def sole_coordinator_scopes(user) -> list:
    """The networks and cities that would have no coordinator left if `user` went: an account
    holding the last coordinator role of one cannot be deleted until someone else holds it."""
    scopes = []
    for membership in Membership.objects.filter(
        user=user, role__in=[Role.NETWORK_COORDINATOR, Role.CITY_COORDINATOR]
    ).select_related("network", "city"):
        others = Membership.objects.filter(
            role=membership.role, network=membership.network, city=membership.city
        ).exclude(user=user)
        if not others.filter(user__is_active=True).exists():
            scopes.append(membership.scope)
    return scopes

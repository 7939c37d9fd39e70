"""Atom feed of a network's activity ("In action"), for feed readers and other sites."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from conet.core.activity import describe, events_for
from conet.networks.models import Network


class NetworkActivityFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        return get_object_or_404(Network, slug=slug)

    def title(self, network: Network) -> str:
        return _("%(network)s in action") % {"network": network.name}

    def link(self, network: Network) -> str:
        return network.get_absolute_url()

    def subtitle(self, network: Network) -> str:
        return network.theme

    def items(self, network: Network):
        events = list(events_for([network])[:50])
        for event in events:
            event.network_url = network.get_absolute_url()
        return events

    def item_title(self, event) -> str:
        return describe(event)[:120]

    def item_description(self, event) -> str:
        return describe(event)

    def item_link(self, event) -> str:
        return event.link or f"{event.network_url}#event-{event.pk}"

    def item_guid(self, event) -> str:
        return f"conet-activity-{event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.created_at

    def item_updateddate(self, event):
        return event.created_at

    def item_author_name(self, event) -> str:
        return event.actor.name if event.actor else ""

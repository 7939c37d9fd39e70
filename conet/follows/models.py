"""A confirmed follower: an e-mail address that asked for news of a network, a city or a focus area.

Only confirmed follows are rows (double opt-in): the request itself lives in the signed link of the
confirmation e-mail and nowhere else, so an address typed by someone else is never stored.
"""

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conet.networks.models import City, Network, Partnership


class Follow(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "network", _("network")
        CITY = "city", _("city")
        FOCUS_AREA = "focus_area", _("focus area")

    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    network = models.ForeignKey(
        Network,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("network"),
    )
    city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("city"),
    )
    # A focus area is today a field of the city's partnership in a network.
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("focus area"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    # The id of the last activity event this follower has been told about (or that existed when
    # they confirmed): the digest sends only events after it, and moves it in the same transaction.
    sent_through = models.PositiveBigIntegerField(_("last event sent"), default=0)
    last_sent_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.CheckConstraint(
                name="follow_one_target_of_its_kind",
                condition=(
                    models.Q(
                        kind="network",
                        network__isnull=False,
                        city__isnull=True,
                        partnership__isnull=True,
                    )
                    | models.Q(
                        kind="city",
                        network__isnull=True,
                        city__isnull=False,
                        partnership__isnull=True,
                    )
                    | models.Q(
                        kind="focus_area",
                        network__isnull=True,
                        city__isnull=True,
                        partnership__isnull=False,
                    )
                ),
            ),
            models.UniqueConstraint(
                Lower("email"),
                "network",
                name="follow_network_once",
                condition=models.Q(network__isnull=False),
            ),
            models.UniqueConstraint(
                Lower("email"),
                "city",
                name="follow_city_once",
                condition=models.Q(city__isnull=False),
            ),
            models.UniqueConstraint(
                Lower("email"),
                "partnership",
                name="follow_focus_area_once",
                condition=models.Q(partnership__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.email} → {self.kind} {self.network_id or self.city_id or self.partnership_id}"
        )

    @property
    def target(self):
        return self.network or self.city or self.partnership

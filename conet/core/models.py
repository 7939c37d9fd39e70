"""Cross-cutting records: the versioned base of rows several people edit, the activity feed,
the bot trap's log, the audit trail, content translations and photos.

`core` imports no feature app: an activity event points at its scope (a network, a city …) and
its subject through content types, and feature apps register how each kind of event reads.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """A row edited by several people: every save through a service bumps `version`,
    and a save that started from an older version is refused instead of overwriting
    (`conet.core.concurrency.update_versioned`, docs/decisions/0012-versioned-lives-in-core.md)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class ActivityEvent(models.Model):
    """Something that happened, shown in a network's "In action" feed and its Atom feed."""

    kind = models.CharField(_("kind"), max_length=64)
    scope_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("scope type")
    )
    scope_id = models.PositiveBigIntegerField(_("scope id"))
    scope = GenericForeignKey("scope_type", "scope_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    # What the event says, in the words of the moment (names may change later; the feed keeps history).
    data = models.JSONField(_("data"), default=dict, blank=True)
    # Free text for updates written by people, in the language they wrote it in.
    text = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["scope_type", "scope_id", "-created_at"])]
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")

    def __str__(self) -> str:
        from conet.core.activity import describe

        return describe(self)


class BlockedClient(models.Model):
    """A client that followed the hidden link or filled the hidden field: a bot, refused for a while."""

    address = models.GenericIPAddressField(_("address"))
    reason = models.CharField(_("reason"), max_length=64)
    path = models.CharField(_("path"), max_length=500, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    blocked_until = models.DateTimeField(_("blocked until"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("blocked client")
        verbose_name_plural = _("blocked clients")

    def __str__(self) -> str:
        return f"{self.address} ({self.reason})"


class AppendOnly(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only: entries are never changed")

    def delete(self):
        raise PermissionError("the audit log is append-only: entries are never deleted")


class AuditEntry(models.Model):
    """One privileged action, kept as it happened: append-only, never changed or deleted here.

    `core` imports no feature app, so the network and city an entry concerns are plain ids (their
    names at the moment are in `summary`); `actor_label` keeps who acted after an account is gone.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    network_id = models.PositiveBigIntegerField(_("network"), null=True, blank=True, db_index=True)
    city_id = models.PositiveBigIntegerField(_("city"), null=True, blank=True, db_index=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    address = models.CharField(_("address"), max_length=64, blank=True)

    objects = AppendOnly.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit log is append-only: an entry is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only: an entry is never deleted")


class ContentTranslation(models.Model):
    """One long text of one object in one more language: the network's objectives in German.

    `core` imports no feature app, so the object is a content type and an id, and the field is its
    name; feature apps declare which fields may be translated (conet/core/translations.py).
    `source_hash` is the hash of the original text this version was made from: when the original
    changes, the translation is shown as outdated to its editors until someone updates it.
    """

    class Origin(models.TextChoices):
        HUMAN = "human", _("written by a person")
        MACHINE = "machine", _("translated automatically")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("kind")
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    field = models.CharField(_("text"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("translation"))
    origin = models.CharField(
        _("origin"), max_length=8, choices=Origin.choices, default=Origin.HUMAN
    )
    source_hash = models.CharField(_("made from"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["field", "language"]
        verbose_name = _("translation of a text")
        verbose_name_plural = _("translations of texts")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="one_translation_per_text_and_language",
            ),
            models.CheckConstraint(
                name="translation_origin_known",
                condition=models.Q(origin__in=["human", "machine"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.field} [{self.language}]"


class MachineTranslationRequest(models.Model):
    """A coordinator's request to translate an object's missing texts, done in the background.

    Kept so the editor page can say what happened: still running, how many texts were written, or
    why the translation service refused (`error` is a code; its sentence is shown in the reader's
    language, see conet/core/machine_translation.py)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("kind")
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    error = models.CharField(_("error"), max_length=32, blank=True)
    detail = models.CharField(_("details"), max_length=500, blank=True)
    written = models.PositiveIntegerField(_("texts translated"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]
        verbose_name = _("machine translation request")
        verbose_name_plural = _("machine translation requests")

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.status}"


def photo_path(instance: "Photo", filename: str) -> str:
    # Files are named by a random token, never by the uploaded name (which may carry a person's
    # name or a place); the object's kind and id keep a folder per object for the operator.
    return f"photos/{instance.content_type_id}/{instance.object_id}/{filename}"


class Photo(models.Model):
    """A picture of a city, a focus area, a practice, a meeting or a workshop's results.

    Stored only as CoNet re-encoded it (conet/core/photos/images.py): decoded, turned upright,
    without EXIF or GPS data, in two web sizes. Like translations, it points at its object by
    content type and id; apps declare which kinds carry photos (conet/core/photos/registry.py).
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("kind")
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    position = models.PositiveIntegerField(_("position"), default=0)
    large = models.FileField(_("large image"), upload_to=photo_path, max_length=200)
    small = models.FileField(_("small image"), upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    small_width = models.PositiveIntegerField(_("small width"))
    small_height = models.PositiveIntegerField(_("small height"))
    alt_text = models.CharField(
        _("description for people who cannot see it"),
        max_length=300,
        help_text=_("What the photo shows, in one sentence; read aloud by screen readers."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(
        _("photographer and licence"),
        max_length=200,
        blank=True,
        help_text=_("For example: Maria Rossi, CC BY 4.0."),
    )
    # The language the alt text and caption are written in (the uploader's at the time).
    language = models.CharField(_("language"), max_length=8, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["content_type", "object_id", "position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [models.Index(fields=["content_type", "object_id", "position"])]

    def __str__(self) -> str:
        return self.alt_text

    def _address(self, file) -> str:
        from django.urls import reverse

        return reverse("core_machine:photo", args=[self.pk, file.name.rsplit("/", 1)[-1]])

    @property
    def large_url(self) -> str:
        return self._address(self.large)

    @property
    def small_url(self) -> str:
        return self._address(self.small)

    @property
    def srcset(self) -> str:
        return f"{self.small_url} {self.small_width}w, {self.large_url} {self.width}w"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "conet.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from conet.core.demo import register_demo
        from conet.meetings import (  # noqa: F401  (kinds, data, periodic)
            activity,
            photos,
            privacy,
            tasks,
            translations,
        )
        from conet.meetings.search import register_meetings

        register_meetings()
        register_demo(
            "meetings",
            load="conet.meetings.demo.load_meetings_demo",
            order=60,
            describe="conet.meetings.demo.describe_meetings_demo",
        )

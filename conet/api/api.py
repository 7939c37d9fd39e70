"""/api/v1: assembled from each app's api.py; OpenAPI document at /api/v1/openapi.json."""

from ninja import NinjaAPI, Swagger

from conet.actionplans.api import router as actionplans_router
from conet.api import errors
from conet.api.photos import router as photos_router
from conet.api.translations import router as translations_router
from conet.consultations.api import router as consultations_router
from conet.exchange.api import router as exchange_router
from conet.meetings.api import router as meetings_router
from conet.monitoring.api import router as monitoring_router
from conet.networks.api import router as networks_router
from conet.notifications.api import router as notifications_router
from conet.practices.api import router as practices_router
from conet.search.api import router as search_router
from conet.workshops.api import router as workshops_router


class ConetAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return errors.document(super().get_openapi_schema(*args, **kwargs))


api = ConetAPI(
    title="CoNet API",
    version="1",
    description=(
        "Networks of cities working together on social cohesion. Reading is open; writing needs "
        "a personal API token (`Authorization: Bearer …`) and the role that allows it."
    ),
    urls_namespace="api",
    # Without deep links an operation's path is not a link inside its expand button (a focusable
    # element inside a button, which screen readers cannot reach). The page's template is
    # conet/templates/ninja/swagger.html (language, a way back to the site).
    docs=Swagger(settings={"deepLinking": False}),
)
errors.install(api)
api.add_router("/", networks_router)
api.add_router("/", monitoring_router)
api.add_router("/", consultations_router)
api.add_router("/", actionplans_router)
api.add_router("/", practices_router)
api.add_router("/", search_router)
api.add_router("/", workshops_router)
api.add_router("/", meetings_router)
api.add_router("/", exchange_router)
api.add_router("/", notifications_router)
api.add_router("/", translations_router)
api.add_router("/", photos_router)

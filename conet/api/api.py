"""/api/v1: assembled from each app's api.py; OpenAPI document at /api/v1/openapi.json."""

from ninja import NinjaAPI

from conet.actionplans.api import router as actionplans_router
from conet.api import errors
from conet.consultations.api import router as consultations_router
from conet.monitoring.api import router as monitoring_router
from conet.networks.api import router as networks_router

api = NinjaAPI(
    title="CoNet API",
    version="1",
    description=(
        "Networks of cities working together on social cohesion. Reading is open; writing needs "
        "a personal API token (`Authorization: Bearer …`) and the role that allows it."
    ),
    urls_namespace="api",
)
errors.install(api)
api.add_router("/", networks_router)
api.add_router("/", monitoring_router)
api.add_router("/", consultations_router)
api.add_router("/", actionplans_router)

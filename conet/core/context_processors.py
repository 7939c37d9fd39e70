from django.conf import settings
from django.templatetags.static import static


def site(request):
    return {
        "site_name": settings.CONET_SITE_NAME,
        "map_tiles": settings.CONET_MAP_TILES,
        "map_attribution": settings.CONET_MAP_ATTRIBUTION,
        # The ground drawn when the tiles cannot be loaded (conet/static/conet/basemap.js).
        "map_outlines": static("vendor/world-atlas-2.0.2/countries-50m.json"),
        "map_outlines_attribution": "Natural Earth",
    }

from django.conf import settings


def site(request):
    return {
        "site_name": settings.CONET_SITE_NAME,
        "map_tiles": settings.CONET_MAP_TILES,
        "map_attribution": settings.CONET_MAP_ATTRIBUTION,
    }

"""Settings for the live-board benchmark's server: CoNet's, with the channel layer that a board of
hundreds of phones needs (see conet.core.channel_layers.py) unless CONET_BENCH_STOCK_LAYER=1."""

import os

from conet.settings import *  # noqa: F403
from conet.settings import REDIS_URL

if os.environ.get("CONET_BENCH_STOCK_LAYER") != "1":
    if REDIS_URL:
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [REDIS_URL], "prefix": "conet", "capacity": 5000},
            }
        }
    else:
        CHANNEL_LAYERS = {"default": {"BACKEND": "conet.core.channel_layers.InMemoryChannelLayer"}}

"""The in-memory channel layer, fit for one board with hundreds of phones.

Channels' own `InMemoryChannelLayer` sweeps every queue and every group membership for expired
messages on *every* receive: with N screens on a board each event costs O(N²) work (300 phones,
25 events a second: millions of loop turns a second, and the server falls minutes behind). It also
holds at most 100 messages per screen and drops the rest of a burst without a word. This one sweeps
at most once a second and holds 5,000 messages per screen. Set it in CHANNEL_LAYERS:
    {"default": {"BACKEND": "conet.core.channel_layers.InMemoryChannelLayer"}}
"""

import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

SWEEP_INTERVAL_S = 1.0
CAPACITY = 5000


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    def __init__(self, expiry=60, group_expiry=86400, capacity=CAPACITY, **kwargs):
        super().__init__(expiry=expiry, group_expiry=group_expiry, capacity=capacity, **kwargs)
        self._last_sweep = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._last_sweep < SWEEP_INTERVAL_S:
            return
        self._last_sweep = now
        super()._clean_expired()

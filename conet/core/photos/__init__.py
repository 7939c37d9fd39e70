"""Photos of cities, focus areas, practices, meetings and workshops' results.

Feature apps declare which models carry photos and who may add them (`registry.register` in their
AppConfig.ready(), as with translations); `core` keeps every photo in one table (`Photo`) and
never imports the apps. An upload is decoded and re-encoded by `images.py` (checked to be an
image, turned upright, stripped of EXIF and GPS data, resized to two web sizes) before anything
is stored; `services.py` does every write, `selectors.attach()` fetches the photos of every object
a page shows in one query, and the `photos` template tags render the strip, the Open Graph meta
tags and the image a PDF embeds. Files are served by `views.serve` after the same view
permission as the object's page. See docs/photos.md and docs/decisions/0006-photos.md.
"""

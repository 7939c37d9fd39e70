"""URLs of the workshop results: protocol, follow-up, clustering suggestions."""

urlpatterns: list = []

from django.urls import path  # noqa: F401

app_name = "workshops"
urlpatterns: list = []

# The results (clustering suggestions, protocol, follow-up) live in their own module.
from conet.workshops import urls_results  # noqa: E402

urlpatterns += urls_results.urlpatterns

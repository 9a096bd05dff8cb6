from proposals.deliberation_urls import deliberation_urlpatterns

app_name = "proposals"

urlpatterns = [*deliberation_urlpatterns]

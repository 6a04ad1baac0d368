app_name = "organizations"

urlpatterns = []

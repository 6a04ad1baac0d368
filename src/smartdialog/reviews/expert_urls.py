app_name = "expert"

urlpatterns = []

app_name = "reviews_admin"

urlpatterns = []

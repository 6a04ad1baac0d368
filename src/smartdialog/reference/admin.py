from django.contrib import admin

from .models import ApplicantKind, FederalDistrict, NationalProject, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "federal_district", "iso_code"]
    list_filter = ["federal_district", "kind"]
    search_fields = ["name", "name_en", "code"]


admin.site.register(FederalDistrict)
admin.site.register(ApplicantKind)
admin.site.register(NationalProject)

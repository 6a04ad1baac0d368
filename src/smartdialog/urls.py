from django.contrib import admin
from django.urls import include, path, register_converter

from smartdialog.accounts import views as accounts_views
from smartdialog.audit import views as audit_views
from smartdialog.contests.views import manage, public
from smartdialog.core import bench
from smartdialog.core.converters import PartConverter
from smartdialog.core.healthz import healthz

register_converter(PartConverter, "part")

manage_patterns = [
    path("", manage.index, name="index"),
    path("new/", manage.edition_create, name="edition_create"),
    path("<int:year>/", manage.edition_dashboard, name="edition"),
    path("<int:year>/edit/", manage.edition_edit, name="edition_edit"),
    path("<int:year>/stages/new/", manage.stage_create, name="stage_create"),
    path("<int:year>/stages/<int:pk>/edit/", manage.stage_edit, name="stage_edit"),
    path("<int:year>/stages/<int:pk>/move/", manage.stage_move, name="stage_move"),
    path("<int:year>/roles/", accounts_views.roles, name="roles"),
    path("<int:year>/roles/<int:pk>/revoke/", accounts_views.revoke, name="role_revoke"),
    path("<int:year>/audit/", audit_views.log, name="audit"),
    path("<int:year>/<part:part>/new/", manage.part_edit, name="part_create"),
    path("<int:year>/<part:part>/<int:pk>/edit/", manage.part_edit, name="part_edit"),
    path("<int:year>/<part:part>/<int:pk>/delete/", manage.part_delete, name="part_delete"),
]

urlpatterns = [
    path("", public.home, name="home"),
    path("editions/<int:year>/", public.edition_detail, name="edition"),
    path("editions/<int:year>/history/", public.edition_history, name="edition_history"),
    path("manage/", include((manage_patterns, "manage"))),
    path("manage/<int:year>/mail/", include("smartdialog.notifications.urls")),
    path("manage/<int:year>/moderation/", include("smartdialog.submissions.moderation_urls")),
    path("manage/<int:year>/intake/", include("smartdialog.submissions.intake_urls")),
    path("manage/<int:year>/reviews/", include("smartdialog.reviews.organiser_urls")),
    path("manage/<int:year>/working-groups/", include("smartdialog.reviews.decision_urls")),
    path("expert/", include("smartdialog.reviews.expert_urls")),
    path("manage/<int:year>/vote/", include("smartdialog.voting.organiser_urls")),
    path("captcha/", include("captcha.urls")),
    path("vote/", include("smartdialog.voting.public_urls")),
    path("results/<int:year>/", include("smartdialog.results.urls")),
    path("results/<int:year>/data/", include("smartdialog.results.data_urls")),
    path("manage/<int:year>/results/", include("smartdialog.results.organiser_urls")),
    path("manage/<int:year>/press/", include("smartdialog.results.press_urls")),
    path("manage/<int:year>/certificates/", include("smartdialog.results.certificate_admin_urls")),
    path("certificates/", include("smartdialog.results.certificate_urls")),
    path("organizations/", include("smartdialog.organizations.urls")),
    path("", include("smartdialog.submissions.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("bench/bare-vote/", bench.bare_vote, name="bench_bare_vote"),  # 404 unless enabled
    path("bench/bare-page/", bench.bare_page, name="bench_bare_page"),  # 404 unless enabled
    path("admin/", admin.site.urls),
]

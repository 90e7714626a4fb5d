from django.urls import path

from regions import compare, views

app_name = "regions"

urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    # Before the regions' own addresses, which would take "match" for a slug.
    path("regions/match/", views.RegionMatchView.as_view(), name="region-match"),
    path(
        "regions/compare/",
        compare.RegionCompareView.as_view(),
        name="region-compare",
    ),
    path(
        "regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region-detail"
    ),
    path("partners/", views.PartnerListView.as_view(), name="partner-list"),
    path(
        "partners/<slug:slug>/",
        views.PartnerDetailView.as_view(),
        name="partner-detail",
    ),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path(
        "projects/<slug:slug>/",
        views.ProjectDetailView.as_view(),
        name="project-detail",
    ),
    path("publications/", views.PublicationListView.as_view(), name="publication-list"),
    path(
        "publications/<slug:slug>/",
        views.PublicationDetailView.as_view(),
        name="publication-detail",
    ),
    path(
        "policy-instruments/",
        views.PolicyInstrumentListView.as_view(),
        name="policyinstrument-list",
    ),
    path(
        "policy-instruments/<slug:slug>/",
        views.PolicyInstrumentDetailView.as_view(),
        name="policyinstrument-detail",
    ),
]

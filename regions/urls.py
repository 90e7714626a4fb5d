from django.urls import path

from regions import compare, views
from search.feeds import SelectionFeed

app_name = "regions"

urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/feed.atom", SelectionFeed(views.RegionListView), name="region-feed"),
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
        "partners/feed.atom", SelectionFeed(views.PartnerListView), name="partner-feed"
    ),
    path(
        "partners/<slug:slug>/",
        views.PartnerDetailView.as_view(),
        name="partner-detail",
    ),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path(
        "projects/feed.atom", SelectionFeed(views.ProjectListView), name="project-feed"
    ),
    path(
        "projects/<slug:slug>/",
        views.ProjectDetailView.as_view(),
        name="project-detail",
    ),
    path("publications/", views.PublicationListView.as_view(), name="publication-list"),
    path(
        "publications/feed.atom",
        SelectionFeed(views.PublicationListView),
        name="publication-feed",
    ),
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
        "policy-instruments/feed.atom",
        SelectionFeed(views.PolicyInstrumentListView),
        name="policyinstrument-feed",
    ),
    path(
        "policy-instruments/<slug:slug>/",
        views.PolicyInstrumentDetailView.as_view(),
        name="policyinstrument-detail",
    ),
]

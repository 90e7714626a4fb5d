from django.urls import path

from potentials import compare, views
from search.feeds import SelectionFeed

app_name = "potentials"

urlpatterns = [
    path("potentials/", views.PotentialListView.as_view(), name="potential-list"),
    # Not a slug (it has a dot): no potential's address can take it.
    path(
        "potentials/feed.atom",
        SelectionFeed(views.PotentialListView),
        name="potential-feed",
    ),
    path(
        "potentials/compare/",
        compare.PotentialCompareView.as_view(),
        name="potential-compare",
    ),
    path(
        "potentials/<slug:slug>/",
        views.PotentialDetailView.as_view(),
        name="potential-detail",
    ),
    path(
        "potentials/<slug:slug>/case-sheet.pdf",
        views.PotentialCaseSheetView.as_view(),
        name="potential-case-sheet",
    ),
    path(
        "utilisation-matrix/",
        views.UtilisationMatrixView.as_view(),
        name="utilisation-matrix",
    ),
]

from django.urls import path

from goodpractices import compare, views
from search.feeds import SelectionFeed

app_name = "goodpractices"

urlpatterns = [
    path(
        "good-practices/",
        views.GoodPracticeListView.as_view(),
        name="goodpractice-list",
    ),
    # Not a slug (it has a dot): no practice's address can take it.
    path(
        "good-practices/feed.atom",
        SelectionFeed(views.GoodPracticeListView),
        name="goodpractice-feed",
    ),
    path(
        "good-practices/compare/",
        compare.GoodPracticeCompareView.as_view(),
        name="goodpractice-compare",
    ),
    path(
        "good-practices/<slug:slug>/",
        views.GoodPracticeDetailView.as_view(),
        name="goodpractice-detail",
    ),
    path(
        "good-practices/<slug:slug>/case-sheet.pdf",
        views.GoodPracticeCaseSheetView.as_view(),
        name="goodpractice-case-sheet",
    ),
    path("propose/", views.ProposeView.as_view(), name="propose"),
    path("propose/thanks/", views.ProposeThanksView.as_view(), name="propose-thanks"),
]

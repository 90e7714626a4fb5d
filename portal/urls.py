from django.urls import path

from goodpractices.feeds import NewGoodPracticesFeed
from portal import views
from portal.search_views import SearchResultsView, SuggestView
from potentials.feeds import NewPotentialsFeed

# Mounted under each language prefix by the root URLconf (no namespace: these
# are the site's own pages, reversed as "home", "search"…).
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("imprint/", views.SitePageView.as_view(kind="imprint"), name="imprint"),
    path("privacy/", views.SitePageView.as_view(kind="privacy"), name="privacy"),
    path(
        "accessibility/",
        views.SitePageView.as_view(kind="accessibility"),
        name="accessibility",
    ),
    path("contact/", views.SitePageView.as_view(kind="contact"), name="contact"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("search/", SearchResultsView.as_view(), name="search"),
    path("search/suggest/", SuggestView.as_view(), name="search-suggest"),
    path("feeds/potentials/", NewPotentialsFeed(), name="feed-potentials"),
    path("feeds/good-practices/", NewGoodPracticesFeed(), name="feed-goodpractices"),
]

from django.urls import path

from potentials import compare, views

app_name = "potentials"

urlpatterns = [
    path("potentials/", views.PotentialListView.as_view(), name="potential-list"),
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
        "utilisation-matrix/",
        views.UtilisationMatrixView.as_view(),
        name="utilisation-matrix",
    ),
]

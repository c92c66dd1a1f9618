from django.urls import path

from linli.people import action_views, import_views, views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("person/<int:pk>/", views.person, name="person"),
    path("person/<int:pk>/unmask/<slug:kind>/", views.unmask, name="unmask"),
    path("person/<int:pk>/move-in/", action_views.move_in, name="move_in"),
    path("person/<int:pk>/move-out/", action_views.move_out, name="move_out"),
    path("person/<int:pk>/death/", action_views.death, name="death"),
    path("person/<int:pk>/merge/", action_views.merge, name="merge"),
    path("person/<int:pk>/tags/new/", action_views.tag_new, name="tag_new"),
    path("person/<int:pk>/tags/<int:tag>/end/", action_views.tag_end, name="tag_end"),
    path("person/<int:pk>/consents/new/", action_views.consent_new, name="consent_new"),
    path(
        "person/<int:pk>/consents/<int:consent>/withdraw/",
        action_views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("dwelling/<int:pk>/", views.dwelling, name="dwelling"),
    path("dwelling/<int:pk>/move-in/", action_views.move_here, name="move_here"),
    path("import/", import_views.import_ledger_page, name="import"),
]

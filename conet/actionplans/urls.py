from django.urls import path

from conet.actionplans import views

app_name = "actionplans"

plan = "networks/<slug:slug>/<slug:city_slug>/plan/"

urlpatterns = [
    path("networks/<slug:slug>/plans/", views.network_overview, name="overview"),
    path(plan, views.plan_detail, name="plan"),
    path(plan + "start/", views.plan_create, name="create"),
    path(plan + "settings/", views.plan_settings, name="settings"),
    path(plan + "sections/<slug:kind>/", views.section_edit, name="section"),
    path(plan + "tree/", views.node_add, name="node_add"),
    path(plan + "tree/<int:pk>/", views.node_edit, name="node"),
    path(plan + "tree/<int:pk>/remove/", views.node_remove, name="node_remove"),
    path(plan + "objectives/", views.objective_add, name="objective_add"),
    path(plan + "objectives/<int:number>/", views.objective_edit, name="objective"),
    path(plan + "objectives/<int:number>/indicators/", views.indicator_add, name="indicator_add"),
    path(
        plan + "objectives/<int:number>/indicators/<int:pk>/",
        views.indicator_edit,
        name="indicator",
    ),
    path(plan + "drafts/<str:key>/", views.draft_save, name="draft"),
    path(plan + "drafts/<str:key>/discard/", views.draft_discard, name="draft_discard"),
    path(plan + "actions/new/", views.action_add, name="action_add"),
    path(plan + "actions/import/", views.actions_import, name="actions_import"),
    path(plan + "actions/<int:number>/", views.action_detail, name="action_detail"),
    path(plan + "actions/<int:number>/edit/", views.action_edit, name="action"),
    path(plan + "actions/<int:number>/progress/", views.action_progress, name="progress"),
    path(plan + "comments/", views.comment, name="comment"),
    path(plan + "review/", views.review, name="review"),
    path(plan + "steps/<slug:name>/", views.transition, name="transition"),
    path(plan + "compare/", views.compare_versions, name="compare"),
    path(plan + "plan.pdf", views.plan_pdf, name="pdf"),
    path(plan + "plan.docx", views.plan_docx, name="docx"),
    path(plan + "actions.csv", views.actions_csv, name="actions_csv"),
    path(plan + "indicators.csv", views.indicators_csv, name="indicators_csv"),
]

"""The dashboard's work for the task worker."""

from django_tasks import task


@task()
def compute_figures(community_id: int) -> str:
    from buildings.models import Community
    from dashboard import figures

    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return "no such community"
    figures.compute(community)
    return "computed"

"""The name citizens see at the top of their pages: the standing committee
(常委会) in charge of the place, not the staff system's title."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from congress.models import Congress, CongressLevel, Region

register = template.Library()


@register.simple_tag(takes_context=True)
def standing_committee(context: template.Context, region: Region | None = None) -> str:
    """The nearest congress above ``region`` (or the top one) that has a standing
    committee: a township congress has a presidium instead (地方组织法), and a
    subdistrict (街道) has no congress at all. One query per page: the title and
    the header ask for the same name, and the render context (shared by a
    template and the ones it extends) remembers it."""
    if not isinstance(region, Region):
        region = None  # not in the context: the template engine passes ""
    key = f"standing_committee:{region.pk if region is not None else ''}"
    if key not in context.render_context:
        context.render_context[key] = _name_for(region)
    return str(context.render_context[key])


def _name_for(region: Region | None) -> str:
    congresses = Congress.objects.exclude(level=CongressLevel.TOWNSHIP)
    if region is not None:
        congress = (
            congresses.filter(region_id__in=region.ancestor_ids())
            .order_by("-region__depth")
            .first()
        )
    else:
        congress = congresses.order_by("region__depth").first()
    if congress is None:
        return _("人大常委会")
    return _("%(congress)s常务委员会") % {"congress": congress.name}

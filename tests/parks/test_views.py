import datetime as dt
from decimal import Decimal

from django.urls import reverse
from tests.enterprises.factories import parcel, space

from bioplan.parks import services


def test_park_pages(world, client):
    space(world.registry_a, "1F", facilities=["p2_lab"], simulated=True)
    parcel(world.registry_a, "L1", "30", status="supplied", supplied_on=dt.date(2023, 1, 1))
    client.force_login(world.office)
    body = client.get(reverse("parks:list")).content.decode()
    assert "青浦生命科学园" in body and "莘庄工业区" not in body
    assert client.get(reverse("parks:detail", args=[world.registry_a.pk])).status_code == 200
    body = client.get(reverse("parks:spaces"), {"facility": "p2_lab"}).content.decode()
    assert "P2实验室" in body


def test_demand_page_shows_ranked_explained_matches(world, client):
    space(world.registry_a, "1F", space_type="laboratory", area="300")
    d = services.demand_create(
        requester_name="某CRO",
        district=world.district,
        space_type="laboratory",
        area_min=Decimal("250"),
        user=None,
    )
    client.force_login(world.office)
    assert "某CRO" in client.get(reverse("parks:demands")).content.decode()
    body = client.get(reverse("parks:demand", args=[d.pk])).content.decode()
    assert "类型一致（实验室）" in body


def test_other_district_cannot_open_a_park(world, client):
    client.force_login(world.other_office)
    assert client.get(reverse("parks:detail", args=[world.registry_a.pk])).status_code == 404


def test_accepting_a_match_reserves_the_space(world, client):
    s = space(world.registry_a, "1F", space_type="laboratory", area="300")
    d = services.demand_create(
        requester_name="某CRO",
        district=world.district,
        space_type="laboratory",
        area_min=Decimal("250"),
        user=None,
    )
    client.force_login(world.office)
    assert (
        "Accept this match" in client.get(reverse("parks:demand", args=[d.pk])).content.decode()
        or "接受此匹配" in client.get(reverse("parks:demand", args=[d.pk])).content.decode()
    )
    client.post(reverse("parks:demand_accept", args=[d.pk]), {"offer": f"space-{s.pk}"})
    s.refresh_from_db()
    d.refresh_from_db()
    assert (s.status, s.tenant_name, d.status) == ("reserved", "某CRO", "matched")
    assert s.history.first().history_user == world.office


def test_operator_of_another_park_cannot_accept(world, client):
    s = space(world.registry_b, "1F", space_type="laboratory", area="300")
    d = services.demand_create(
        requester_name="某CRO",
        district=world.district,
        space_type="laboratory",
        area_min=Decimal("250"),
        user=None,
    )
    client.force_login(world.operator)
    client.post(reverse("parks:demand_accept", args=[d.pk]), {"offer": f"space-{s.pk}"})
    s.refresh_from_db()
    assert s.status == "vacant"

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


def test_simulated_parcels_and_spaces_carry_the_badge_on_the_park_page(world, client):
    space(world.registry_a, "3F", simulated=True)
    space(world.registry_a, "4F")
    parcel(world.registry_a, "SIM-1", "12", simulated=True)
    parcel(world.registry_a, "REAL-1", "8")
    client.force_login(world.office)
    body = client.get(reverse("parks:detail", args=[world.registry_a.pk])).content.decode()
    rows = {
        line.split("<td>")[1].split(" ")[0]: "模拟数据" in line
        for line in body.split("<tr>")
        if "<td>" in line
    }
    assert rows.get("SIM-1") is True and rows.get("REAL-1") is False
    assert body.count("badge bg-orange-lt") == 2  # one parcel, one space; the park itself is not simulated

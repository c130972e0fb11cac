import pytest

pytestmark = pytest.mark.django_db


def test_home_shows_the_title_total_and_nineteen_goals(client, plan):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hant-TW">' in html
    assert "高雄市政府警察局 114 年度施政計畫" in html
    assert "11,722,205" in html
    assert html.count('id="goal-') == 19
    assert "社會保防與國家安全" in html  # goal 19's short title, a link to its page


def test_home_without_data_is_a_clear_404(client, db):
    from plan.models import Plan

    Plan.objects.all().delete()
    assert client.get("/").status_code == 404

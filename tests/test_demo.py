import pytest
from django.core.management import call_command

from congress.models import Congress, Department, Region, RoleGrant, User


@pytest.mark.django_db
def test_demo_city_builds_and_prints_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed_demo", scale=0.25)
    out = capsys.readouterr().out
    assert "Demo-2026" in out and "district_staff" in out
    assert Region.objects.filter(level="grid").exists()
    assert Congress.objects.filter(level="township").exists()
    assert Department.objects.filter(parent__isnull=False).exists()
    assert RoleGrant.objects.filter(user__username="clerk_transport", role="handler").exists()
    assert User.objects.get(username="admin").is_superuser
    call_command("seed_demo")  # a second run leaves the data alone
    assert "already exists" in capsys.readouterr().out

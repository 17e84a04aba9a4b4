import pytest

from accounts.models import Role
from tests.factories import UserFactory
from tests.stores.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_admin_store_list_links_to_the_storefront_and_searches(client):
    client.force_login(UserFactory(role=Role.SUPER_ADMIN))
    StoreFactory(username="ada-shoes", display_name="Ada Shoes")
    StoreFactory(username="bola-bags", display_name="Bola Bags")

    text = client.get("/admin/stores/store/?q=ada").content.decode()

    assert 'href="http://testserver/ada-shoes"' in text
    assert "Bola Bags" not in text
    assert (
        client.get("/admin/stores/store/?template_id__exact=products&is_active__exact=1").status_code == 200
    )

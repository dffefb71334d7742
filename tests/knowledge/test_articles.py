"""The knowledge base: who reads what, drafts and publishing, search, votes, suggestions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from knowledge import selectors, services
from knowledge.models import Article, ArticleVote, SuggestionOpen
from sla.models import Tier
from tests.factories import LicenseFactory
from tests.knowledge.conftest import publish


@pytest.fixture
def general(engineer, vpn):
    return publish(
        engineer,
        title="VPN tunnel drops every hour",
        body="Renew the IKE keys: `ike rekey`.",
        area=vpn,
    )


@pytest.fixture
def platinum_only(engineer, vpn):
    return publish(
        engineer,
        title="Platinum cluster failover",
        body="Switch the cluster node.",
        area=vpn,
        tiers=[Tier.objects.get(pk="platinum")],
    )


@pytest.fixture
def draft(engineer, vpn):
    return services.article_save(
        actor=engineer, title="Half-written", body="Later.", area=vpn, language="en"
    )


def test_it_shows_a_customer_published_articles_for_everyone(client, customer, general, draft):
    client.force_login(customer)
    page = client.get(reverse("knowledge:list")).content.decode()
    assert "VPN tunnel drops every hour" in page
    assert "Half-written" not in page
    response = client.get(reverse("knowledge:detail", args=[general.pk]))
    assert response.status_code == 200
    assert "<code>ike rekey</code>" in response.content.decode()


def test_it_answers_404_for_an_article_of_a_tier_the_reader_does_not_have(
    client, customer, license_a, platinum_only
):
    client.force_login(customer)  # organization A has a Standard license only
    assert client.get(reverse("knowledge:detail", args=[platinum_only.pk])).status_code == 404
    assert client.post(reverse("knowledge:vote", args=[platinum_only.pk])).status_code == 404
    assert "Platinum cluster" not in client.get(reverse("knowledge:list")).content.decode()


def test_it_shows_a_tier_article_to_a_customer_with_an_active_license_of_that_tier(
    client, customer, org_a, platinum_only
):
    LicenseFactory(organization=org_a, tier_id="platinum")
    client.force_login(customer)
    assert client.get(reverse("knowledge:detail", args=[platinum_only.pk])).status_code == 200


def test_it_hides_a_tier_article_when_that_license_has_ended(customer, org_a, platinum_only):
    today = timezone.localdate()
    LicenseFactory(
        organization=org_a,
        tier_id="platinum",
        support_starts_on=today - datetime.timedelta(days=400),
        support_ends_on=today - datetime.timedelta(days=1),
    )
    visible = selectors.articles_visible_to(user=customer, day=today)
    assert platinum_only not in visible


def test_it_answers_404_for_a_draft_to_a_customer_and_shows_it_to_engineers(
    client, customer, engineer, draft
):
    client.force_login(customer)
    assert client.get(reverse("knowledge:detail", args=[draft.pk])).status_code == 404
    client.force_login(engineer)
    page = client.get(reverse("knowledge:detail", args=[draft.pk])).content.decode()
    assert "Draft: customers do not see it" in page


def test_it_sends_anonymous_readers_to_sign_in(client, general):
    response = client.get(reverse("knowledge:detail", args=[general.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_lets_only_engineers_write_and_publish(client, customer, engineer, vpn, draft):
    client.force_login(customer)
    assert client.get(reverse("knowledge:new")).status_code == 403
    assert client.post(reverse("knowledge:publish", args=[draft.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.article_save(actor=customer, title="x", body="y", area=vpn, language="en")
    client.force_login(engineer)
    assert client.get(reverse("knowledge:publish", args=[draft.pk])).status_code == 405
    response = client.post(reverse("knowledge:publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at is not None


def test_it_writes_a_draft_through_the_form_and_keeps_what_was_typed_on_errors(
    client, engineer, vpn
):
    client.force_login(engineer)
    response = client.post(
        reverse("knowledge:new"),
        {"title": "", "body": "Some **text**", "language": "ru", "area": vpn.pk},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the article a title." in page
    assert "Some **text**" in page
    assert not Article.objects.exists()
    response = client.post(
        reverse("knowledge:new"),
        {"title": "Сброс туннеля", "body": "Текст", "language": "ru", "area": vpn.pk},
    )
    article = Article.objects.get()
    assert response["Location"] == reverse("knowledge:detail", args=[article.pk])
    assert article.status == Article.Status.DRAFT


def test_it_finds_articles_by_russian_and_english_word_forms(engineer, customer, vpn):
    publish(
        engineer,
        title="Туннели разрываются",
        body="Перезапустите службу туннелей.",
        area=vpn,
        language="ru",
    )
    publish(engineer, title="Licenses expiring", body="Renew licenses.", area=vpn)
    visible = selectors.articles_visible_to(user=customer, day=timezone.localdate())
    russian = list(selectors.search_articles(visible, "туннель разрывается"))
    english = list(selectors.search_articles(visible, "license expired"))
    assert [a.title for a in russian] == ["Туннели разрываются"]
    assert [a.title for a in english] == ["Licenses expiring"]


def test_it_updates_the_search_when_an_article_is_edited(engineer, customer, general):
    services.article_save(
        actor=engineer,
        article=general,
        title="Certificate rotation",
        body="Rotate it.",
        area=general.area,
        language="en",
    )
    visible = selectors.articles_visible_to(user=customer, day=timezone.localdate())
    assert list(selectors.search_articles(visible, "certificates")) == [general]
    assert list(selectors.search_articles(visible, "tunnel")) == []


def test_it_counts_one_vote_per_person_and_lets_them_change_it(
    client, customer, colleague, general
):
    client.force_login(customer)
    url = reverse("knowledge:vote", args=[general.pk])
    client.post(url, {"helpful": "yes"})
    client.post(url, {"helpful": "yes"})
    client.force_login(colleague)
    client.post(url, {"helpful": "no"})
    client.post(url, {"helpful": "yes"})
    general.refresh_from_db()
    assert ArticleVote.objects.filter(article=general).count() == 2
    assert (general.helpful_count, general.unhelpful_count) == (2, 0)
    assert client.get(url).status_code == 405


def test_it_refuses_a_vote_without_an_answer(client, customer, general):
    client.force_login(customer)
    response = client.post(reverse("knowledge:vote", args=[general.pk]), {"helpful": "maybe"})
    assert response.status_code == 302
    assert not ArticleVote.objects.exists()


def test_it_suggests_visible_published_articles_as_json(
    client, customer, license_a, general, platinum_only, draft
):
    client.force_login(customer)
    found = client.get(reverse("knowledge:suggest"), {"q": "tunnel drops"}).json()["articles"]
    assert [a["title"] for a in found] == ["VPN tunnel drops every hour"]
    assert found[0]["url"] == reverse("knowledge:detail", args=[general.pk])
    nothing = client.get(reverse("knowledge:suggest"), {"q": "cluster failover"}).json()
    assert nothing["articles"] == []


def test_it_records_a_customer_opening_a_suggestion_by_post_only(client, customer, general):
    client.force_login(customer)
    assert client.get(reverse("knowledge:opened", args=[general.pk])).status_code == 405
    assert client.post(reverse("knowledge:opened", args=[general.pk])).status_code == 204
    assert SuggestionOpen.objects.get().user == customer


def test_it_does_not_count_an_engineer_opening_an_article(client, engineer, general):
    client.force_login(engineer)
    client.post(reverse("knowledge:opened", args=[general.pk]))
    assert not SuggestionOpen.objects.exists()


def test_it_requires_title_text_and_area(engineer):
    with pytest.raises(ValidationError) as error:
        services.article_save(actor=engineer, title=" ", body="", area=None, language="en")
    assert set(error.value.message_dict) == {"title", "body", "area"}


def test_it_lists_articles_in_a_fixed_number_of_queries(
    client, customer, engineer, vpn, django_assert_max_num_queries
):
    for n in range(30):
        publish(engineer, title=f"Article {n}", body="x", area=vpn)
    client.force_login(customer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("knowledge:list"))
    assert response.content.decode().count("Article ") >= 20

"""Start the test provider: `python -m tests.oidc_provider` with, in the environment,
OIDC_PROVIDER_PORT, OIDC_PROVIDER_DB (an SQLite file), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and
OIDC_REDIRECT_URI (the portal's callback). Serves until it is terminated."""

import os

import django
from django.core.management import call_command


def set_up() -> None:
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    from tests.oidc_provider.people import PASSWORD, PEOPLE

    call_command("migrate", verbosity=0, interactive=False)
    for username, person in PEOPLE.items():
        User.objects.create_user(
            username=username,
            password=PASSWORD,
            email=person["email"],
            first_name=person["first_name"],
            last_name=person["last_name"],
        )
    Application.objects.create(
        name="Support portal",
        client_id=os.environ["OIDC_CLIENT_ID"],
        client_secret=os.environ["OIDC_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["OIDC_REDIRECT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,  # the consent page is part of the flow under test
    )


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    django.setup()
    set_up()
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    run("127.0.0.1", int(os.environ["OIDC_PROVIDER_PORT"]), get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()

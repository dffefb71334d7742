"""The provider's accounts (username -> who), all with the password PASSWORD."""

PASSWORD = "idp-pass-4-tests"

PEOPLE = {
    # A vendor engineer the portal has never seen.
    "ivan": {
        "email": "ivan.petrov@vendor.example",
        "first_name": "Ivan",
        "last_name": "Petrov",
        "email_verified": True,
    },
    # Someone outside the vendor, with an address the provider confirmed.
    "mallory": {
        "email": "mallory@elsewhere.example",
        "first_name": "Mallory",
        "last_name": "Outside",
        "email_verified": True,
    },
    # A vendor address the provider has not confirmed.
    "unconfirmed": {
        "email": "victor@vendor.example",
        "first_name": "Victor",
        "last_name": "Unconfirmed",
        "email_verified": False,
    },
    # Addresses the portal's personas and tests use (conftest.py): the engineer Eve, the
    # administrator Ada, and a customer account made with a vendor address.
    "eve": {
        "email": "eve@vendor.example",
        "first_name": "Eve",
        "last_name": "",
        "email_verified": True,
    },
    "ada": {
        "email": "ada@vendor.example",
        "first_name": "Ada",
        "last_name": "",
        "email_verified": True,
    },
    "carl": {
        "email": "carl@vendor.example",
        "first_name": "Carl",
        "last_name": "",
        "email_verified": True,
    },
}

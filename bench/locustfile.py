"""The mixed load of issue 14, for locust (bench/run_load.sh starts gunicorn and runs it).

Three kinds of visitor, by weight: 60 % customers reading their lists and tickets, 20 %
customers filing tickets and replying, 20 % engineers on the queue, tickets and actions (taking
a ticket, an internal note). Each signs in with a session bench/locust_setup.py made
(BENCH_LOCUST_DATA, default var/bench/locust.json) and thinks 1-3 s between requests
(BENCH_THINK, "min,max" seconds). Every request is named by its kind, so locust's table gives
requests per second and percentiles per kind; a GET that is not 200, or a POST that does not
redirect (302: done, or refused with a message, as a person would see it), is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from urllib.parse import quote

from locust import HttpUser, between, task

DATA = json.loads(Path(os.environ.get("BENCH_LOCUST_DATA", "var/bench/locust.json")).read_text())
THINK = [float(s) for s in os.environ.get("BENCH_THINK", "1,3").split(",")]
ENGINEER_TICKETS = DATA["in_progress"] + DATA["registered"]
FILED = itertools.count(1)


class Visitor(HttpUser):
    abstract = True
    wait_time = between(*THINK)

    def sign_in(self, session: str, landing: str) -> None:
        self.client.cookies.set("sessionid", session)
        self.get(landing, "sign-in landing")  # also sets the CSRF cookie for the POSTs

    def get(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    def post(self, url: str, data: dict, name: str) -> None:
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(
            url, data=data, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}")


class CustomerReading(Visitor):
    """Reads the organization's list (all, open, a search) and its tickets."""

    weight = 60

    def on_start(self) -> None:
        self.me = random.choice(DATA["customers"])
        self.sign_in(self.me["session"], "/tickets/")

    @task(3)
    def ticket_list(self) -> None:
        self.get("/tickets/", "customer: list")

    @task(1)
    def open_list(self) -> None:
        self.get("/tickets/?state=open", "customer: list, open")

    @task(1)
    def search(self) -> None:
        self.get(f"/tickets/?q={quote(DATA['search'])}", "customer: search")

    @task(4)
    def ticket(self) -> None:
        self.get(f"/tickets/{random.choice(self.me['tickets'])}/", "customer: ticket")


class CustomerWriting(Visitor):
    """Files tickets (the form, then the POST) and replies on the organization's open ones."""

    weight = 20

    def on_start(self) -> None:
        writers = [c for c in DATA["customers"] if c["open"]]
        self.me = random.choice(writers)
        self.sign_in(self.me["session"], "/tickets/new/")

    @task(1)
    def file_ticket(self) -> None:
        self.get("/tickets/new/", "customer: new-ticket form")
        n = next(FILED)
        data = {
            "license_key": self.me["license"],
            "product_version": "5.1.0",
            "priority": random.choice(["high", "medium", "medium", "low"]),
            "subject": f"Load test filing {n}: the IPsec tunnel drops on every rekey",
            "description": "Since this morning the tunnel to Kazan drops every hour.",
            "diagnostics": "Rebooted node gw-07; the problem came back within an hour.",
            "contact_email": self.me["email"],
        }
        self.post("/tickets/new/", data, "customer: file (POST)")

    @task(2)
    def reply(self) -> None:
        number = random.choice(self.me["open"])
        self.get(f"/tickets/{number}/", "customer: ticket")
        body = "The log from node gw-07 after the last drop: IKE SA expired, rekey refused."
        self.post(f"/tickets/{number}/reply/", {"reply-body": body}, "customer: reply (POST)")


class Engineer(Visitor):
    """Works the queue: reads it (and its refreshes), opens tickets, takes and annotates."""

    weight = 20

    def on_start(self) -> None:
        self.sign_in(random.choice(DATA["engineers"]), "/work/queue/")

    @task(3)
    def queue(self) -> None:
        self.get("/work/queue/", "engineer: queue")

    @task(2)
    def refresh(self) -> None:
        self.get("/work/queue/rows/", "engineer: queue rows")

    @task(3)
    def ticket(self) -> None:
        number = random.choice(ENGINEER_TICKETS)
        self.get(f"/tickets/{number}/", "engineer: ticket")

    @task(1)
    def take(self) -> None:
        number = random.choice(DATA["registered"])
        self.post(f"/tickets/{number}/take/", {}, "engineer: take (POST)")

    @task(1)
    def note(self) -> None:
        number = random.choice(DATA["in_progress"])
        data = {"reply-body": "Checked the IKE lifetimes: they match.", "internal": "1"}
        self.post(f"/tickets/{number}/reply/", data, "engineer: internal note (POST)")

"""Words for the synthetic tickets of `load_bench_tickets` (a private helper, not a command).

A small vocabulary of a network-security vendor's support, in English and Russian, combined so
that subjects and descriptions differ enough for full-text search to have work to do.
"""

import random
from typing import Any

COMPONENTS = [
    ("VPN tunnel", "VPN-туннель"),
    ("IPsec tunnel", "IPsec-туннель"),
    ("site-to-site VPN", "межсайтовый VPN"),
    ("remote-access VPN client", "клиент удалённого доступа VPN"),
    ("firewall", "межсетевой экран"),
    ("firewall cluster", "кластер межсетевых экранов"),
    ("IDS sensor", "сенсор IDS"),
    ("intrusion prevention module", "модуль предотвращения вторжений"),
    ("NAT rule", "правило NAT"),
    ("DNS resolver", "DNS-резолвер"),
    ("TLS certificate", "сертификат TLS"),
    ("root CA certificate", "корневой сертификат УЦ"),
    ("management server", "сервер управления"),
    ("web console", "веб-консоль"),
    ("syslog export", "экспорт журналов syslog"),
    ("SNMP agent", "агент SNMP"),
    ("LDAP authentication", "аутентификация LDAP"),
    ("RADIUS server", "сервер RADIUS"),
    ("BGP session", "сессия BGP"),
    ("OSPF adjacency", "соседство OSPF"),
    ("HA cluster", "кластер высокой доступности"),
    ("content filter", "контентный фильтр"),
    ("antivirus engine", "антивирусный модуль"),
    ("GOST cipher suite", "криптонабор ГОСТ"),
]
SYMPTOMS = [  # Russian in the present tense: it agrees with a component of any gender
    ("drops on every rekey", "разрывается при каждой смене ключей"),
    ("does not come up", "не поднимается"),
    ("causes high CPU load", "вызывает высокую загрузку ЦП"),
    ("loses packets", "теряет пакеты"),
    ("fails to start", "не запускается"),
    ("no longer passes traffic", "не пропускает трафик"),
    ("raises false positives", "даёт ложные срабатывания"),
    ("eats all memory", "расходует всю память"),
    ("times out", "отваливается по таймауту"),
    ("rejects a valid certificate", "отклоняет действительный сертификат"),
    ("blocks legitimate traffic", "блокирует легитимный трафик"),
    ("shows a wrong status", "показывает неверный статус"),
    ("restarts every few hours", "перезапускается каждые несколько часов"),
    ("is slow under load", "тормозит под нагрузкой"),
]
EVENTS = [
    ("the upgrade to {version}", "обновления до {version}"),
    ("a policy install", "установки политики"),
    ("a reboot", "перезагрузки"),
    ("a cluster failover", "переключения узлов кластера"),
    ("certificate renewal", "продления сертификата"),
    ("a configuration import", "импорта конфигурации"),
    ("a provider change", "смены провайдера"),
    ("connecting a new branch office", "подключения нового филиала"),
    ("a signature database update", "обновления базы сигнатур"),
]
WHEN = [
    ("Since yesterday", "Со вчерашнего дня"),
    ("Since this morning", "С сегодняшнего утра"),
    ("Since Monday", "С понедельника"),
    ("After the weekend", "После выходных"),
    ("For a week now", "Уже неделю"),
]
SITES = [
    ("Moscow", "Москва"),
    ("Kazan", "Казань"),
    ("Novosibirsk", "Новосибирск"),
    ("Yekaterinburg", "Екатеринбург"),
    ("Samara", "Самара"),
    ("Vladivostok", "Владивосток"),
    ("Saint Petersburg", "Санкт-Петербург"),
]
DAEMONS = ["ike", "fwd", "snortd", "dnsmasq", "routed", "mgmtd", "syslog-ng", "radiusd"]
DESCRIPTION = [
    (
        "{when}, the {component} on node {node} {symptom}.",
        "{when_ru} {component_ru} на узле {node} {symptom_ru}.",
    ),
    (
        "About {count} users in the {site} office are affected.",
        "Затронуто около {count} пользователей в филиале {site_ru}.",
    ),
    (
        "Peer address {ip}; the tunnel comes up for a few minutes and drops again.",
        "Адрес пира {ip}; туннель поднимается на несколько минут и снова падает.",
    ),
    (
        "The event log shows repeated errors from the {daemon} process.",
        "В журнале событий повторяются ошибки процесса {daemon}.",
    ),
    (
        "Traffic between {ip} and {ip2} is dropped by the default rule although an allow rule "
        "exists.",
        "Трафик между {ip} и {ip2} отбрасывается правилом по умолчанию, хотя разрешающее "
        "правило есть.",
    ),
    (
        "It started after {event}; rolling back did not help.",
        "Проблема появилась после {event_ru}; откат не помог.",
    ),
    (
        "The cluster switches to the standby node {count} times a day.",
        "Кластер переключается на резервный узел {count} раз в сутки.",
    ),
    (
        "Clients resolve names through the gateway and DNS queries time out.",
        "Клиенты разрешают имена через шлюз, DNS-запросы уходят в таймаут.",
    ),
    (
        "The certificate chain is valid in a browser, but the gateway reports an untrusted issuer.",
        "В браузере цепочка сертификатов корректна, но шлюз сообщает о недоверенном издателе.",
    ),
    (
        "CPU load on the gateway stays at {pct}% even at night.",
        "Загрузка ЦП на шлюзе держится на уровне {pct}% даже ночью.",
    ),
]
DIAGNOSTICS = [
    (
        "Rebooted node {node}; the problem came back within an hour.",
        "Перезагрузили узел {node}; через час проблема вернулась.",
    ),
    (
        "Captured traffic with tcpdump on the external interface.",
        "Сняли дамп трафика tcpdump на внешнем интерфейсе.",
    ),
    (
        "Checked routes and NAT rules: they match the documentation.",
        "Проверили маршруты и правила NAT: соответствуют документации.",
    ),
    ("Ping and traceroute to {ip} pass.", "Ping и traceroute до {ip} проходят."),
    (
        "Collected the diagnostic archive from the management server.",
        "Собрали диагностический архив с сервера управления.",
    ),
    (
        "Verified the certificate chain and the system time on both peers.",
        "Проверили цепочку сертификатов и системное время на обоих пирах.",
    ),
    (
        "Disabled the IDS profile for a test; the symptom persisted.",
        "Для проверки отключили профиль IDS, симптом сохраняется.",
    ),
    (
        "Compared the configuration with last week's backup: the VPN section is unchanged.",
        "Сравнили конфигурацию с резервной копией прошлой недели: раздел VPN не менялся.",
    ),
    (
        "Failed over to the standby node manually; it shows the same symptom.",
        "Вручную переключились на резервный узел, на нём тот же симптом.",
    ),
]


class TicketText:
    """Subject, description and diagnostics of one ticket, in the customer's language."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._ips = [
            f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            for _ in range(4096)
        ]

    def make(self, lang: str, version: str) -> tuple[str, str, str]:
        rnd = self._rng.random

        def pick(seq: list[Any]) -> Any:  # hot path: random.choice is several times slower
            return seq[int(rnd() * len(seq))]

        component, symptom, event = pick(COMPONENTS), pick(SYMPTOMS), pick(EVENTS)
        when, site = pick(WHEN), pick(SITES)
        slots = {
            "component": component[0],
            "component_ru": component[1],
            "symptom": symptom[0],
            "symptom_ru": symptom[1],
            "event": event[0].format(version=version),
            "event_ru": event[1].format(version=version),
            "when": when[0],
            "when_ru": when[1],
            "site": site[0],
            "site_ru": site[1],
            "node": f"gw-{int(rnd() * 40) + 1:02d}",
            "ip": pick(self._ips),
            "ip2": pick(self._ips),
            "daemon": pick(DAEMONS),
            "count": int(rnd() * 400) + 3,
            "pct": int(rnd() * 40) + 60,
        }
        ru = lang == "ru"
        # The first sentence states the fault; the rest is a varied sample of the details.
        sentences = [DESCRIPTION[0], *self._rng.sample(DESCRIPTION[1:], 1 + int(rnd() * 3))]
        diagnostics = self._rng.sample(DIAGNOSTICS, 2 + int(rnd() * 2))
        if ru:
            subject = f"{component[1]} {symptom[1]} после {slots['event_ru']}"
        else:
            subject = f"{component[0]} {symptom[0]} after {slots['event']}"
        text = 1 if ru else 0
        description = " ".join(s[text] for s in sentences).format(**slots)
        # "\\n" is COPY's escape for a line break: one diagnostic step per line.
        done = "\\n".join("- " + s[text] for s in diagnostics).format(**slots)
        return subject[0].upper() + subject[1:], description, done

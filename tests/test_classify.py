"""Tests for newscrawl.classify: fingerprints, response classes, and REAL download errors
(Scrapy crawls in a subprocess against misbehaving servers on 127.0.0.1)."""

from __future__ import annotations

import datetime
import gzip
import json
import os
import re
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings

from newscrawl import classify as c
from newscrawl.classify.needles import needles
from newscrawl.sites.model import Site

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path("/work/shared/data")
SITE = Site(
    name="presstv",
    domains=("https://www.presstv.ir", "https://www.presstv.co.uk", "https://www.presstv.com"),
    sections=("/Section/101",),
    article_pattern=re.compile(r"/Detail/\d{4}/\d\d/\d\d/(\d+)/"),
    expected_markers=("PressTV", "Press TV"),
)
SEIZURE_BANNER = (
    "The domain presstv.com has been seized by the United States Government in accordance "
    "with a seizure warrant issued pursuant to 18 USC §§981, 982 and 50 USC 1701-1705 as part "
    "of a law enforcement action by the Bureau of Industry and Security, Office of Export "
    "Enforcement and Federal Bureau of Investigation"
)


def obs(
    body: str | bytes = "", status: int = 200, url: str = "https://www.presstv.ir/", **kw: Any
) -> c.Observation:
    data = body.encode() if isinstance(body, str) else body
    return c.Observation(url, status, kw.pop("headers", {}), data, **kw)


def test_failure_classes_are_the_contract() -> None:
    assert c.FAILURE_CLASSES == (
        "dns_nxdomain", "dns_error", "tcp_refused", "tcp_timeout", "tcp_reset", "tls_error",
        "http_timeout", "http_5xx", "http_4xx", "soft_seized", "soft_parked", "soft_challenge",
        "soft_blockpage", "offsite_redirect", "content_mismatch",
    )  # fmt: skip
    assert c.OK == "ok" and c.OK not in c.FAILURE_CLASSES and c.UNKNOWN not in c.FAILURE_CLASSES
    assert c.is_soft(c.SOFT_PARKED) and not c.is_soft(c.HTTP_4XX)
    assert c.is_network(c.TCP_RESET) and not c.is_network(c.SOFT_SEIZED)


# --- fingerprints: realistic page snippets, one or more per class --------------------------

SOFT_PAGES: list[tuple[str, str, dict[str, str], str]] = [
    # (fingerprint expected, class, headers, body)
    ("us_seized_by_usg", c.SOFT_SEIZED, {}, f"<html><body><div class=banner>{SEIZURE_BANNER}</div>"),
    (
        "us_seizure_warrant",
        c.SOFT_SEIZED,
        {},
        "This domain is subject to a seizure warrant issued pursuant to 18 U.S.C.",
    ),
    (
        "domain_has_been_seized",
        c.SOFT_SEIZED,
        {},
        "<h1>This domain name has been seized by ICE - Homeland Security Investigations</h1>",
    ),
    (
        "domain_has_been_seized",
        c.SOFT_SEIZED,
        {},
        "<p>THIS WEBSITE HAS BEEN SEIZED</p><p>by the Federal Bureau of Investigation</p>",
    ),
    ("seizedservers", c.SOFT_SEIZED, {}, "<p>Name servers: ns1.seizedservers.com, ns2.seizedservers.com</p>"),
    ("fbi_seized_gov", c.SOFT_SEIZED, {}, '<img src="https://fbi.seized.gov/images/banner.jpg" alt="seal">'),
    (
        "ir_10_10_34_34_iframe",
        c.SOFT_BLOCKPAGE,
        {},
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
        '<title>M1-6</title></head><body><iframe src="http://10.10.34.34?type=Invalid Site&policy=MainPolicy"'
        ' style="width: 100%; height: 100%" scrolling="no"></iframe></body></html>',
    ),
    ("ir_peyvandha", c.SOFT_BLOCKPAGE, {}, '<a href="http://peyvandha.ir">peyvandha.ir</a>'),
    (
        "ru_rkn_registry",
        c.SOFT_BLOCKPAGE,
        {},
        '<p>Ресурс внесён в <a href="https://eais.rkn.gov.ru/">Единый реестр</a></p>',
    ),
    (
        "tr_btk_notice",
        c.SOFT_BLOCKPAGE,
        {},
        "<p>Bu internet sitesi (example.com) hakkında Bilgi Teknolojileri ve İletişim Kurumu"
        " tarafından koruma kararı uygulanmaktadır.</p>",
    ),
    (
        "in_dot_court_order",
        c.SOFT_BLOCKPAGE,
        {},
        "The URL has been blocked under instructions of the Competent Government Authority or in"
        " compliance to the orders of Court of competent jurisdiction.",
    ),
    (
        "in_dot_court_order",
        c.SOFT_BLOCKPAGE,
        {},
        "Your requested URL has been blocked as per the directions received from Department of"
        " Telecommunications, Government of India.",
    ),
    (
        "uk_court_order",
        c.SOFT_BLOCKPAGE,
        {},
        "Virgin Media has received an order from the High Court requiring us to prevent access to this site.",
    ),
    (
        "uk_court_order",
        c.SOFT_BLOCKPAGE,
        {},
        "Access to the websites listed on this page has been blocked pursuant to Orders of the High Court.",
    ),
    (
        "id_internet_positif",
        c.SOFT_BLOCKPAGE,
        {},
        '<script>window.location="http://internetpositif.id/"</script>',
    ),
    ("kr_warning_or_kr", c.SOFT_BLOCKPAGE, {}, '<iframe src="http://warning.or.kr/i1.html"></iframe>'),
    ("cf_mitigated_challenge", c.SOFT_CHALLENGE, {"CF-Mitigated": "challenge"}, "<html>...</html>"),
    (
        "cf_just_a_moment",
        c.SOFT_CHALLENGE,
        {},
        "<!DOCTYPE html><html><head><title>Just a moment...</title></head>",
    ),
    (
        "cf_chl_script",
        c.SOFT_CHALLENGE,
        {},
        "<script>(function(){window._cf_chl_opt={cvId: '3',cZone: 'x'};}())</script>",
    ),
    (
        "cf_checking_browser",
        c.SOFT_CHALLENGE,
        {},
        "<h2>Checking your browser before accessing example.com.</h2>",
    ),
    (
        "cf_attention_required",
        c.SOFT_CHALLENGE,
        {},
        "<title>Attention Required! | Cloudflare</title><h1>Sorry, you have been blocked</h1>",
    ),
    (
        "ddos_guard",
        c.SOFT_CHALLENGE,
        {},
        '<title>DDoS-Guard</title><script src="https://check.ddos-guard.net/check.js"></script>',
    ),
    ("sucuri_firewall", c.SOFT_CHALLENGE, {}, "<title>Sucuri WebSite Firewall - Access Denied</title>"),
    (
        "imperva_incapsula",
        c.SOFT_CHALLENGE,
        {},
        '<iframe id="main-iframe" src="/_Incapsula_Resource?CWUDNSAI=24&xinfo=8-1"></iframe>',
    ),
    (
        "akamai_access_denied",
        c.SOFT_CHALLENGE,
        {},
        "<TITLE>Access Denied</TITLE><H1>Access Denied</H1>You don't have permission to access"
        ' "http&#58;&#47;&#47;www&#46;example&#46;com&#47;" on this server.<P>'
        "Reference&#32;&#35;18&#46;3c6b2c17&#46;1589370284&#46;1c0e5d8",
    ),
    (
        "perimeterx_captcha",
        c.SOFT_CHALLENGE,
        {},
        '<div id="px-captcha"></div><p>Press &amp; Hold to confirm you are a human</p>',
    ),
    (
        "datadome_captcha",
        c.SOFT_CHALLENGE,
        {},
        '<script src="https://ct.captcha-delivery.com/c.js"></script>',
    ),
    (
        "sedo_parking",
        c.SOFT_PARKED,
        {},
        '<script src="//img.sedoparking.com/templates/brick_gfx/js/x.js"></script>',
    ),
    ("bodis_parking", c.SOFT_PARKED, {}, '<script src="https://bodiscdn.com/parking/park.js"></script>'),
    ("parkingcrew", c.SOFT_PARKED, {}, '<script src="//www.parkingcrew.net/assets/scripts/caf.js"></script>'),
    (
        "domain_for_sale",
        c.SOFT_PARKED,
        {},
        "<h1>The domain name example.com is for sale</h1><p>Make an offer</p>",
    ),
    ("domain_for_sale", c.SOFT_PARKED, {}, "<div>This domain may be for sale!</div>"),
    (
        "godaddy_afternic",
        c.SOFT_PARKED,
        {},
        "<p>This Web page is parked FREE, courtesy of GoDaddy.com.</p>".replace("Web page", "domain"),
    ),
    ("godaddy_afternic", c.SOFT_PARKED, {}, "<h1>Future home of something quite cool.</h1>"),
    ("dan_com", c.SOFT_PARKED, {}, '<a href="https://dan.com/buy-domain/example.com">Buy now</a>'),
    ("hugedomains", c.SOFT_PARKED, {}, '<a href="https://www.hugedomains.com/domain_profile.cfm?d=example">'),
    ("parklogic", c.SOFT_PARKED, {}, '<script src="https://parklogic.com/p.js"></script>'),
    ("namecheap_parking", c.SOFT_PARKED, {}, '<link href="https://parkingpage.namecheap.com/main.css">'),
]


@pytest.mark.parametrize(("name", "cls", "headers", "body"), SOFT_PAGES, ids=[p[0] for p in SOFT_PAGES])
def test_soft_failure_fingerprints(name: str, cls: str, headers: dict[str, str], body: str) -> None:
    observation = obs(body, headers=headers)
    matched = c.load_fingerprints().match(observation)
    assert matched is not None and (matched.name, matched.cls) == (name, cls)
    assert c.classify_response(SITE, observation) == cls


def test_every_builtin_fingerprint_is_exercised_and_fast() -> None:
    fingerprints = c.load_fingerprints()
    exercised = {p[0] for p in SOFT_PAGES} | {
        "seized_final_url",
        "parking_lander_url",
        "ru_access_restricted",
        "my_mcmc",
    }
    assert {fp.name for fp in fingerprints.entries} == exercised
    assert all(needles(fp.pattern) for fp in fingerprints.entries if fp.pattern_type == "regex")


@pytest.mark.parametrize(
    ("url", "headers", "body", "cls"),
    [
        ("https://www.presstv.ir/lander", {}, "<html></html>", c.SOFT_PARKED),
        ("https://www.presstv.ir/", {"Content-Type": "text/html; charset=windows-1251"},
         "<p>Доступ к информационному ресурсу ограничен</p>".encode("cp1251"), c.SOFT_BLOCKPAGE),
        ("https://www.presstv.ir/", {}, "This website is not available in Malaysia as it violate the"
         " National law(s).", c.SOFT_BLOCKPAGE),
        ("https://www.presstv.ir/", {"cf-mitigated": "challenge"}, "", c.SOFT_CHALLENGE),
    ],
)  # fmt: skip
def test_fingerprints_on_url_and_encoded_bodies(
    url: str, headers: dict[str, str], body: str | bytes, cls: str
) -> None:
    assert (
        c.classify_response(
            SITE, obs(body, 403 if headers.get("cf-mitigated") else 200, url, headers=headers)
        )
        == cls
    )


def test_seizure_notice_on_any_status_and_seized_gov_final_url() -> None:
    assert c.classify_response(SITE, obs(SEIZURE_BANNER, 404, "https://www.presstv.com/")) == c.SOFT_SEIZED
    seized = obs("<html></html>", url="https://fbi.seized.gov/")
    assert c.load_fingerprints().match(seized).name == "seized_final_url"  # type: ignore[union-attr]


def _real_news_pages() -> list[Path]:
    return sorted((SHARED / "extraction" / "html").glob("*.html.gz")) + sorted(
        (SHARED / "captions" / "html").glob("*.html.gz")
    )


@pytest.mark.skipif(not _real_news_pages(), reason="shared real pages not present")
def test_no_fingerprint_matches_real_news_pages_and_matching_is_cheap() -> None:
    fingerprints, started = c.load_fingerprints(), time.perf_counter()
    pages = _real_news_pages()
    hits = {}
    for path in pages:
        matched = fingerprints.match(obs(gzip.decompress(path.read_bytes()), url="https://example.org/a"))
        if matched:
            hits[path.name] = matched.name
    assert hits == {}
    assert (time.perf_counter() - started) / len(pages) < 0.02  # ~2 ms measured; loose for shared CPUs


# --- classify_response: order of checks -------------------------------------------------

PAGE = "<html><head><title>Iran news - PressTV</title></head><body>article</body></html>"


@pytest.mark.parametrize(
    ("observation", "expected"),
    [
        (obs(PAGE), c.OK),
        (obs(PAGE, url="https://presstv.co.uk/x", redirect_urls=("https://www.presstv.ir/x",)), c.OK),
        (obs(PAGE, url="https://www.presstv.ir/x", redirect_urls=("http://www.presstv.com/x", "https://parked.example/")),
         c.OFFSITE_REDIRECT),
        (obs("<a href='https://www.hugedomains.com/'>", url="https://www.hugedomains.com/d",
             redirect_urls=("https://www.presstv.com/",)), c.OFFSITE_REDIRECT),
        (obs("", 302, "https://www.presstv.com/", headers={"Location": "https://www.hugedomains.com/d"}),
         c.OFFSITE_REDIRECT),
        (obs("", 301, "http://www.presstv.ir/", headers={"Location": "/Section/101"}), c.OK),
        (obs(PAGE, 503), c.HTTP_5XX),
        (obs(PAGE, 500), c.HTTP_5XX),
        (obs(PAGE, 403), c.HTTP_4XX),
        (obs(PAGE, 404), c.HTTP_4XX),
        (obs(PAGE, 410), c.HTTP_4XX),
        (obs(PAGE, 451), c.HTTP_4XX),
        (obs(PAGE, 429), c.HTTP_4XX),
        (obs("<title>Welcome to nginx!</title>"), c.CONTENT_MISMATCH),
        (obs("<p>" + "x" * 100_000 + "</p><footer>Press TV’s website can also be accessed</footer>"), c.OK),
    ],
)  # fmt: skip
def test_classify_response_order(observation: c.Observation, expected: str) -> None:
    assert c.classify_response(SITE, observation) == expected


def test_markers_are_searched_in_the_whole_body() -> None:
    assert c.classify_response(SITE, obs("<p>" + "x" * 100_000 + "</p>nginx")) == c.CONTENT_MISMATCH
    assert c.classify_response(SITE, obs("<p>" + "x" * 100_000 + "</p>© PRESSTV")) == c.OK


def test_content_mismatch_only_when_expected() -> None:
    page = obs("<title>Welcome to nginx!</title>")
    assert c.classify_response(SITE, page, expect_content=False) == c.OK
    bare = Site(name="bare", domains=SITE.domains, sections=(), article_pattern=SITE.article_pattern)
    assert c.classify_response(bare, page) == c.OK


# --- Observation -----------------------------------------------------------------------


def test_observation_from_scrapy_response_after_redirects() -> None:
    request = Request(
        "https://www.presstv.com/Detail/1",
        meta={"redirect_urls": ["https://www.presstv.com/Detail/1", "https://presstv.com/x"]},
    )
    headers = {"Content-Type": "text/html", "Set-Cookie": ["a=1", "b=2"]}
    body = b"<html><head><title> Buy &amp; sell </title></head></html>"
    response = HtmlResponse("https://www.hugedomains.com/d", headers=headers, body=body, request=request)
    observation = c.Observation.from_scrapy(response)
    assert observation.redirect_urls == ("https://www.presstv.com/Detail/1", "https://presstv.com/x")
    assert observation.requested_url == "https://www.presstv.com/Detail/1"
    assert observation.headers["set-cookie"] == ("a=1", "b=2") and observation.headers["SET-COOKIE"] == (
        "a=1",
        "b=2",
    )
    assert observation.page_title == "Buy & sell"
    assert c.classify_response(SITE, observation) == c.OFFSITE_REDIRECT


def test_observation_without_redirects_and_header_maps() -> None:
    response = HtmlResponse(
        "https://www.presstv.ir/", body=b"<title>x</title>", request=Request("https://www.presstv.ir/")
    )
    assert c.Observation.from_scrapy(response).redirect_urls == ()
    headers = c.HeaderMap.from_dict({"Content-Type": b"text/html", "X-A": ["1", b"2"]})
    assert headers["content-type"] == ("text/html",) and headers["x-a"] == ("1", "2") and "X-a" in headers
    assert obs(title="Given", body="<title>Other</title>").page_title == "Given"


# --- user fingerprint files --------------------------------------------------------------

GOOD_USER_FILE = """
[[fingerprint]]
name = "my_isp_block"
class = "soft_blockpage"
location = "header"
header = "X-Filter"
pattern_type = "prefix"
pattern = "blocked"

[[fingerprint]]
name = "domain_for_sale"
class = "soft_parked"
location = "title"
pattern_type = "equal"
pattern = "Parked"
"""


def test_user_fingerprint_file_appends_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(GOOD_USER_FILE)
    merged = c.fingerprints_from_settings(Settings({c.FINGERPRINTS_SETTING: str(path)}))
    assert len(merged) == len(c.load_fingerprints()) + 1 and merged.entries[-1].name == "my_isp_block"
    assert (
        c.classify_response(SITE, obs(PAGE, headers={"x-filter": "Blocked by policy 7"}), fingerprints=merged)
        == c.SOFT_BLOCKPAGE
    )
    assert c.classify_response(SITE, obs("<title>parked</title>"), fingerprints=merged) == c.SOFT_PARKED
    assert c.classify_response(SITE, obs("This domain is for sale. PressTV"), fingerprints=merged) == c.OK


ONE = '[[fingerprint]]\nname = "bad"\nclass = "soft_parked"\nlocation = "body"\npattern_type = "contains"\n'
ONE += 'pattern = "x"\n'


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (ONE + 'colour = "red"\n', "fingerprint #1 ('bad'): unknown key(s) ['colour']"),
        (ONE.replace('"soft_parked"', '"soft_angry"'), "#1 ('bad'): class 'soft_angry' is not one of"),
        (ONE.replace('"contains"', '"regex"').replace('"x"', '"(x"'), "#1 ('bad'): bad regex '(x'"),
        (ONE.replace('"body"', '"header"'), 'key "header" is required with location = "header"'),
        (ONE.replace('"body"', '"cookie"'), "location 'cookie' is not one of"),
        ("[[fingerprint]]\nname = 1\n", "fingerprint #1: missing key(s)"),
        ("[[fingerprint]\n", "not valid TOML"),
        ('[extra]\nx = "y"\n', "expected only [[fingerprint]] tables"),
    ],
)  # fmt: skip
def test_bad_user_fingerprint_file_is_refused_in_one_line(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(c.FingerprintError) as info:
        c.load_fingerprints(str(path))
    message = str(info.value)
    assert message.startswith(f"{path}: ") and problem in message and "\n" not in message


def test_missing_user_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(c.FingerprintError, match="cannot read"):
        c.load_fingerprints(str(tmp_path / "nope.toml"))


# --- classify_exception: REAL Scrapy 2.19 download errors from local misbehaving servers ---

PROBE = r"""
import json, sys
from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from newscrawl.classify import classify_exception, exception_chain

config = json.loads(sys.argv[1])
results = {}

class Probe(Spider):
    name = "probe"
    async def start(self):
        for url in config["urls"]:
            yield Request(url, callback=self.ok, errback=self.err, dont_filter=True, cb_kwargs={"key": url})
    def ok(self, response, key):
        results[key] = {"status": response.status}
    def err(self, failure):
        key = failure.request.cb_kwargs["key"]
        chain = [f"{type(e).__module__}.{type(e).__qualname__}: {e}" for e in exception_chain(failure)]
        results[key] = {"class": classify_exception(failure), "chain": chain}

settings = {"LOG_LEVEL": "ERROR", "RETRY_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
            "ROBOTSTXT_OBEY": False, "DOWNLOAD_TIMEOUT": 2, "CONCURRENT_REQUESTS_PER_DOMAIN": 32}
process = CrawlerProcess({**settings, **config["settings"]})
process.crawl(Probe)
process.start()
print(json.dumps(results))
"""


def crawl(urls: list[str], settings: dict[str, Any] | None = None, env: dict[str, str] | None = None,
          wrap: list[str] | None = None) -> dict[str, dict[str, Any]]:  # fmt: skip
    """Fetch ``urls`` with a real Scrapy crawl in a subprocess; per URL, the status or the
    errback's classified exception and its chain (``module.Class: message``)."""
    config = json.dumps({"urls": urls, "settings": settings or {}})
    command = [*(wrap or []), sys.executable, "-c", PROBE, config]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=full_env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    results: dict[str, dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(results) == set(urls), done.stderr[-3000:]
    return results


def _listen(backlog: int = 64) -> socket.socket:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(backlog)
    return server


def _serve(server: socket.socket, handle: Callable[[socket.socket], None]) -> None:
    def accept_forever() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=_quietly, args=(handle, conn), daemon=True).start()

    threading.Thread(target=accept_forever, daemon=True).start()


def _quietly(handle: Callable[[socket.socket], None], conn: socket.socket) -> None:
    try:
        handle(conn)
    except OSError:
        pass
    finally:
        conn.close()


def _reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def _silent(conn: socket.socket) -> None:
    conn.recv(65536)
    time.sleep(8)


def _half_body_then_rst(conn: socket.socket) -> None:
    conn.recv(65536)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n" + b"x" * 500)
    time.sleep(0.2)
    _reset(conn)


def _rst_before_response(conn: socket.socket) -> None:
    conn.recv(65536)
    _reset(conn)


def _close_before_response(conn: socket.socket) -> None:
    conn.recv(65536)


def _plain_http(conn: socket.socket) -> None:
    conn.recv(65536)
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    time.sleep(0.5)


def _certificates(directory: Path) -> dict[str, Path]:
    """A test CA, and certificates it signs for ``wrong.example`` and for ``localhost``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def make(name: str, issuer: tuple[Any, Any] | None = None) -> tuple[Any, Any]:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        signer_key, signer_name = issuer or (key, subject)
        builder = (
            x509.CertificateBuilder().subject_name(subject).issuer_name(signer_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
        )  # fmt: skip
        if issuer is not None:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        return key, builder.sign(signer_key, hashes.SHA256())

    ca_key, ca = make("newscrawl test CA")
    paths = {"ca": directory / "ca.pem"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    for name in ("wrong.example", "localhost"):
        key, cert = make(name, (ca_key, ca.subject))
        paths[name] = directory / f"{name}.pem"
        pem = serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        paths[name].write_bytes(
            cert.public_bytes(serialization.Encoding.PEM)
            + key.private_bytes(serialization.Encoding.PEM, *pem)
        )
    return paths


def _tls_ok(cert: Path) -> Callable[[socket.socket], None]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert)

    def handle(conn: socket.socket) -> None:
        with context.wrap_socket(conn, server_side=True) as tls:
            tls.recv(65536)
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            time.sleep(0.3)

    return handle


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Ports of misbehaving servers on 127.0.0.1, plus the test CA's path."""
    certs = _certificates(tmp_path_factory.mktemp("certs"))
    handlers = {"silent": _silent, "half_body_rst": _half_body_then_rst, "rst": _rst_before_response,
                "close": _close_before_response, "plain_http": _plain_http,
                "tls_wrong_name": _tls_ok(certs["wrong.example"]),
                "tls_localhost": _tls_ok(certs["localhost"])}  # fmt: skip
    sockets = {name: _listen() for name in handlers}
    for name, handle in handlers.items():
        _serve(sockets[name], handle)
    closed = _listen()
    ports = {name: s.getsockname()[1] for name, s in sockets.items()}
    ports["closed"] = closed.getsockname()[1]
    closed.close()
    # Never accepts, backlog full: the kernel drops further SYNs, so connect() never completes.
    full = _listen(0)
    fillers = [socket.create_connection(full.getsockname(), timeout=1)]
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(full.getsockname())
        fillers.append(filler)
    ports["backlog_full"] = full.getsockname()[1]
    yield {"ports": ports, "ca": certs["ca"]}
    for s in [*sockets.values(), full, *fillers]:
        s.close()


def test_real_scrapy_errors_over_plain_http(servers: dict[str, Any]) -> None:
    ports = servers["ports"]
    urls = {
        name: f"http://127.0.0.1:{ports[name]}/"
        for name in ("closed", "silent", "half_body_rst", "rst", "close", "backlog_full")
    }
    urls["tls_on_plain_http"] = f"https://localhost:{ports['plain_http']}/"
    urls["tls_wrong_name_default_settings"] = f"https://localhost:{ports['tls_wrong_name']}/"
    results = crawl(list(urls.values()))
    got = {name: results[url] for name, url in urls.items()}
    # Connect timeout and download timeout are the same number in Scrapy: whichever timer
    # fires first decides; only the connect timer leaves evidence (tcp_timeout).
    connect_timeout = got["backlog_full"]["chain"][-1]
    expected_backlog = (
        c.TCP_TIMEOUT if "User timeout caused connection failure" in connect_timeout else c.HTTP_TIMEOUT
    )
    top = {name: r.get("chain", [""])[0].split(":")[0] for name, r in got.items()}
    assert {name: r.get("class", r.get("status")) for name, r in got.items()} == {
        "closed": c.TCP_REFUSED,
        "silent": c.HTTP_TIMEOUT,
        "half_body_rst": c.TCP_RESET,
        "rst": c.TCP_RESET,
        "close": c.TCP_RESET,
        "backlog_full": expected_backlog,
        "tls_on_plain_http": c.TLS_ERROR,
        "tls_wrong_name_default_settings": 200,  # DOWNLOAD_VERIFY_CERTIFICATES = False: only a warning
    }, got
    assert top == {
        "closed": "scrapy.exceptions.DownloadConnectionRefusedError",
        "silent": "scrapy.exceptions.DownloadTimeoutError",
        "half_body_rst": "scrapy.exceptions.ResponseDataLossError",
        "rst": "scrapy.exceptions.DownloadFailedError",
        "close": "scrapy.exceptions.DownloadFailedError",
        "backlog_full": "scrapy.exceptions.DownloadTimeoutError",
        "tls_on_plain_http": "scrapy.exceptions.DownloadFailedError",
        "tls_wrong_name_default_settings": "",
    }, got
    assert connect_timeout in (
        "twisted.internet.error.TimeoutError: User timeout caused connection failure.",
        f"scrapy.exceptions.DownloadTimeoutError: Getting {urls['backlog_full']} took longer than 2.0"
        " seconds.",
    )
    assert any("wrong version number" in line for line in got["tls_on_plain_http"]["chain"])
    assert any(line.startswith("twisted.web.http._DataLoss") for line in got["half_body_rst"]["chain"])


def test_backlog_full_listener_really_never_connects(servers: dict[str, Any]) -> None:
    port = servers["ports"]["backlog_full"]
    with pytest.raises(TimeoutError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", servers["ports"]["closed"]), timeout=1).close()
    socket.create_connection(("127.0.0.1", servers["ports"]["silent"]), timeout=1).close()


def test_real_scrapy_errors_with_certificate_verification(servers: dict[str, Any]) -> None:
    ports, verify = servers["ports"], {"DOWNLOAD_VERIFY_CERTIFICATES": True}
    wrong, right = (f"https://localhost:{ports[name]}/" for name in ("tls_wrong_name", "tls_localhost"))
    trusted = crawl([wrong, right], verify, env={"SSL_CERT_FILE": str(servers["ca"])})
    assert trusted[right] == {"status": 200}  # the CA is trusted: the only fault left is the name
    assert trusted[wrong]["class"] == c.TLS_ERROR
    assert trusted[wrong]["chain"][0].startswith("scrapy.exceptions.DownloadFailedError")
    assert any(line.startswith("service_identity.exceptions.VerificationError") and "DNSMismatch" in line
               for line in trusted[wrong]["chain"])  # fmt: skip
    untrusted = crawl([right], verify, env={"SSL_CERT_FILE": os.devnull})
    assert untrusted[right]["class"] == c.TLS_ERROR
    assert any("certificate verify failed" in line for line in untrusted[right]["chain"])


FAKE_DNS = r"""
import socket, struct, threading
def answer(s):
    while True:
        data, addr = s.recvfrom(512)
        i, labels = 12, []
        while data[i]:
            labels.append(data[i + 1 : i + 1 + data[i]].decode())
            i += 1 + data[i]
        rcode = 2 if labels[0] == "servfail" else 3  # SERVFAIL, else NXDOMAIN
        s.sendto(data[:2] + struct.pack("!HHHHH", 0x8180 | rcode, 1, 0, 0, 0) + data[12 : i + 5], addr)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.bind(("127.0.0.1", 53))  # bound before any lookup: queries wait in its buffer
except OSError:  # another Python of this namespace answers already
    s.close()
else:
    threading.Thread(target=answer, args=(s,), daemon=True).start()
"""


def _netns_available() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        return False
    probe = subprocess.run(["unshare", "-mn", "true"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _netns_available(), reason="needs root and unshare for a private network namespace")
def test_real_dns_failures_in_a_private_network_namespace(tmp_path: Path) -> None:
    """In a private network and mount namespace (only loopback), /etc/resolv.conf points at a
    fake DNS server on 127.0.0.1:53 answering NXDOMAIN, or SERVFAIL for ``servfail.*``."""
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
    sitecustomize = tmp_path / "sitecustomize.py"
    sitecustomize.write_text(FAKE_DNS)
    setup = f'ip link set lo up && mount --bind {resolv} /etc/resolv.conf && exec "$@"'
    wrap = ["unshare", "-mn", "sh", "-c", setup, "sh"]
    env = {"PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    urls = ["http://www.presstv.invalid/", "http://servfail.example.org/"]
    got = crawl(urls, env=env, wrap=wrap)
    for url in urls:  # Scrapy's resolver drops the reason: both read the same
        assert (
            got[url]["chain"][0] == "scrapy.exceptions.CannotResolveHostError: DNS lookup failed:"
            f" no results for hostname lookup: {url[7:-1]}."
        )
        assert got[url]["class"] == c.DNS_ERROR
    script = "import json, socket\nfrom newscrawl.classify import classify_exception\nout = []\n"
    script += (
        "for h in ['www.presstv.invalid', 'servfail.example.org']:\n    try: socket.getaddrinfo(h, 80)\n"
    )
    script += "    except socket.gaierror as e:\n"
    script += "        out.append([classify_exception(e), e.errno, str(e)])\n"
    script += "print(json.dumps(out))\n"
    done = subprocess.run([*wrap, sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env}, check=True)  # fmt: skip
    assert json.loads(done.stdout) == [
        [c.DNS_NXDOMAIN, socket.EAI_NONAME, "[Errno -2] Name or service not known"],
        [c.DNS_ERROR, socket.EAI_AGAIN, "[Errno -3] Temporary failure in name resolution"],
    ]


def _wrapped(outer: BaseException, cause: BaseException) -> BaseException:
    outer.__cause__ = cause
    return outer


def _mapping_cases() -> list[tuple[str, BaseException, str]]:
    """Real exception classes, built the way Scrapy/Twisted deliver them, for the faults that
    cannot be produced on loopback (or only by a race)."""
    from OpenSSL import SSL
    from scrapy import exceptions as sx
    from twisted.internet import error as tx
    from twisted.internet.defer import CancelledError
    from twisted.names.error import DNSNameError, DNSServerError
    from twisted.python.failure import Failure
    from twisted.web._newclient import ResponseFailed, ResponseNeverReceived
    from twisted.web.http import PotentialDataLoss

    tls = SSL.Error([("SSL routines", "", "sslv3 alert handshake failure")])
    user_timeout = "User timeout caused connection failure."
    connect_timer = _wrapped(sx.DownloadTimeoutError(user_timeout), tx.TimeoutError(user_timeout))
    download_timer = sx.DownloadTimeoutError("Getting http://x/ took longer than 2.0 seconds.")
    never_received = _wrapped(sx.DownloadFailedError("x"), ResponseNeverReceived([Failure(tls)]))
    threaded_dns = tx.DNSLookupError("address 'x.invalid' not found: [Errno -2] Name or service not known")
    names_dns = _wrapped(sx.CannotResolveHostError("x"), DNSNameError("x.invalid"))
    return [
        ("tcp timed out, unwrapped", tx.TCPTimedOutError(110, "Connection timed out"), c.TCP_TIMEOUT),
        ("connect timer won", connect_timer, c.TCP_TIMEOUT),
        ("download timer won", download_timer, c.HTTP_TIMEOUT),
        ("no route", tx.NoRouteError(), c.TCP_TIMEOUT),
        ("unreachable oserror", OSError(113, "No route to host"), c.TCP_TIMEOUT),
        ("generic connect error", tx.ConnectError(), c.TCP_REFUSED),
        ("tls inside never received", never_received, c.TLS_ERROR),
        ("tls in a failure", Failure(tls), c.TLS_ERROR),
        ("data loss", ResponseFailed([Failure(tx.ConnectionLost())]), c.TCP_RESET),
        ("potential data loss", PotentialDataLoss(), c.TCP_RESET),
        ("cancelled (maxsize)", _wrapped(sx.DownloadCancelledError("size"), CancelledError()), c.TCP_RESET),
        ("builtin reset", ConnectionResetError(104, "Connection reset by peer"), c.TCP_RESET),
        ("gaierror nxdomain", socket.gaierror(socket.EAI_NONAME, "Name not known"), c.DNS_NXDOMAIN),
        ("gaierror again", socket.gaierror(socket.EAI_AGAIN, "Temporary failure"), c.DNS_ERROR),
        ("twisted.names nxdomain", names_dns, c.DNS_NXDOMAIN),
        ("twisted.names servfail", DNSServerError("x"), c.DNS_ERROR),
        ("threaded resolver message", threaded_dns, c.DNS_NXDOMAIN),
        ("ignore request", sx.IgnoreRequest(), c.UNKNOWN),
        ("a bug", KeyError("x"), c.UNKNOWN),
    ]


@pytest.mark.parametrize(
    ("label", "exc", "expected"), _mapping_cases(), ids=[case[0] for case in _mapping_cases()]
)
def test_classify_exception_mapping_of_real_classes(label: str, exc: BaseException, expected: str) -> None:
    assert c.classify_exception(exc) == expected


def test_exception_chain_walks_context_and_reasons_once() -> None:
    inner = ValueError("inner")
    outer = RuntimeError("outer")
    outer.__context__ = inner
    outer.__cause__ = inner
    assert list(c.exception_chain(outer)) == [outer, inner]


@pytest.mark.parametrize("location", ["http://[oops/x", "//[::1/x"])
def test_a_malformed_redirect_location_is_an_offsite_redirect_not_a_crash(location: str) -> None:
    redirect = obs("", status=302, headers={"Location": location})
    assert c.classify_response(SITE, redirect) == "offsite_redirect"

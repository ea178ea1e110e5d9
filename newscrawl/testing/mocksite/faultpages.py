"""Pages a dead, seized, parked, challenged or blocked domain answers instead of the site."""

from __future__ import annotations

from html import escape

SEIZURE_TEXT = (
    "The domain {domain} has been seized by the United States Government in accordance with a "
    "seizure warrant issued pursuant to 18 USC §§981, 982 and 50 USC 1701-1705 as part of a law "
    "enforcement action by the Bureau of Industry and Security, Office of Export Enforcement and "
    "Federal Bureau of Investigation")


def seized_page(host: str) -> str:
    """The US seizure banner (as reported for presstv.com in June 2021)."""
    domain = escape(host.removeprefix("www."))
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>This Domain Has Been Seized</title>'
        "</head>\n<body style=\"background:#000;color:#fff;text-align:center\">\n"
        '<img src="/seized/seals.png" alt="Seals of the Department of Commerce and the FBI">\n'
        "<h1>THIS DOMAIN HAS BEEN SEIZED</h1>\n"
        f"<p>{SEIZURE_TEXT.format(domain=domain)}.</p>\n"
        "<p>For more information, visit the U.S. Department of Justice website.</p>\n"
        "</body></html>\n")


_PARKED = {
    "sedo": ("{domain} is for sale!", "This domain may be for sale. Buy now at sedo.com",
             "https://sedo.com/search/details/?domain={domain}"),
    "bodis": ("{domain}", "This domain is parked free of charge with Bodis.com",
              "https://www.bodis.com/"),
    "godaddy": ("{domain} is for sale", "Get this domain. Pay the full price now, or pay in "
                "installments with GoDaddy.", "https://www.godaddy.com/domainsearch/find?domainToCheck={domain}"),
}
_SEARCHES = ["Online News", "World News Today", "Breaking News Alerts", "Satellite TV Channels",
             "International Politics", "Cheap Flights to Tehran"]


def parked_page(host: str, style: str) -> str:
    """A parking page (Sedo, Bodis or GoDaddy style) with "related searches" ads."""
    domain = escape(host.removeprefix("www."))
    title, pitch, link = (part.format(domain=domain) for part in _PARKED[style])
    ads = "".join(f'<li><a href="/search/tsc.php?ses={i}&q={escape(s)}">{escape(s)}</a></li>'
                  for i, s in enumerate(_SEARCHES))
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title>\n'
            '<script src="/js/parking.2.101.3.js"></script></head>\n<body>\n'
            f'<div class="domain-header"><h1>{title}</h1><p><a href="{link}">{pitch}</a></p></div>\n'
            f'<div class="related-searches"><h2>Related Searches</h2><ul>{ads}</ul></div>\n'
            '<div class="footer">Copyright © 2026. All rights reserved | '
            '<a href="/privacy">Privacy Policy</a></div>\n</body></html>\n')


def challenge_page(host: str) -> str:
    """Cloudflare's "Just a moment..." interstitial (managed challenge)."""
    return (
        '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
        '<meta name="robots" content="noindex,nofollow"></head><body>'
        '<div class="main-wrapper" role="main"><div class="main-content">'
        f'<h1 class="zone-name-title h1">{escape(host)}</h1>'
        '<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>'
        "<noscript><div>Enable JavaScript and cookies to continue</div></noscript>"
        f'<div id="challenge-body-text">{escape(host)} needs to review the security of your '
        "connection before proceeding.</div></div></div>"
        '<script>(function(){window._cf_chl_opt={cvId: "3",cType: "managed"};})();</script>'
        '<div class="footer">Performance &amp; security by Cloudflare</div></body></html>')


BLOCK_STATUS = {"iran": 403, "russia": 200, "turkey": 200}


def block_page(style: str) -> str:
    """A national block notice: Iran (iframe to 10.10.34.34 / peyvandha.ir), Russia
    (Roskomnadzor register) or Turkey (BTK, law 5651)."""
    if style == "iran":
        return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
                "<title>M1-6</title></head><body>"
                '<iframe src="http://10.10.34.34?type=Invalid Site&policy=MainPolicy" '
                'style="width: 100%; height: 100%" scrolling="no" marginwidth="0" marginheight="0" '
                'frameborder="0" vspace="0" hspace="0"></iframe>'
                '<noframes>دسترسی به این تارنما امکان‌پذیر نمی‌باشد. '
                '<a href="https://peyvandha.ir/">peyvandha.ir</a></noframes></body></html>')
    if style == "russia":
        return ('<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
                "<title>Доступ ограничен</title></head><body><h1>Доступ к ресурсу ограничен</h1>"
                "<p>Доступ к запрашиваемому ресурсу ограничен на основании решения органа "
                "государственной власти в соответствии с Федеральным законом от 27.07.2006 "
                "№ 149-ФЗ «Об информации, информационных технологиях и о защите информации».</p>"
                '<p>Проверить ресурс: <a href="https://eais.rkn.gov.ru/">eais.rkn.gov.ru</a></p>'
                "</body></html>")
    if style == "turkey":
        return ('<!DOCTYPE html><html lang="tr"><head><meta charset="utf-8">'
                "<title>Erişim Engellendi</title></head><body><h1>Bu siteye erişim engellenmiştir</h1>"
                "<p>Bu internet sitesi hakkında 5651 sayılı kanun kapsamında Bilgi Teknolojileri ve "
                "İletişim Kurumu tarafından verilen karar ile idari tedbir uygulanmaktadır.</p>"
                "</body></html>")
    raise ValueError(f"unknown block page style {style!r}; known: {', '.join(BLOCK_STATUS)}")


def wrong_site_page(style: str) -> str:
    """A plausible page of an unrelated site, with no trace of the news site."""
    if style == "nginx":
        return ("<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>"
                "<h1>Welcome to nginx!</h1><p>If you see this page, the nginx web server is "
                "successfully installed and working. Further configuration is required.</p>"
                "</body></html>")
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            "<title>Sunrise Bakery | Fresh bread every morning</title></head><body>"
            '<nav><a href="/">Home</a> <a href="/menu">Our menu</a> <a href="/order">Order online</a></nav>'
            "<h1>Fresh bread every morning since 1987</h1><p>Our sourdough is made from a starter "
            "older than most of our customers. Come by before nine for warm croissants.</p>"
            "<p>Open Tuesday to Sunday, 7 am to 6 pm. Closed on Mondays.</p></body></html>")

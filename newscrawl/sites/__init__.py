"""Site definitions: the built-in ones and the user's TOML file."""

from newscrawl.sites.loader import get_site, load_sites
from newscrawl.sites.model import Site, SiteError

__all__ = ["Site", "SiteError", "get_site", "load_sites"]

vcl 4.1;

# Varnish in front of the app servers: stores public pages for hours and lets the app purge them
# by tag (xkey), balances over the app servers with health probes, retries a fetch another
# server failed, and serves the last good page while no app server (or the database) answers.
#
# A template: `python -m config.stack` (make stack) fills in the fields marked with @@ and writes the
# result to .stack/varnish/default.vcl. The purge secret lives only there, never in the repo.
# What each part does and why: docs/operating.md, "The stack".

import directors;
import std;
import xkey;

# The app answers /healthz 200 only when its database answers: a server whose database is down
# is taken out, and with every one out Varnish serves what it has (grace, below). The probe
# names the site's host, as the app allows no other (ALLOWED_HOSTS).
probe healthz {
    .request =
        "GET /healthz HTTP/1.1"
        "Host: @@SITE_HOST@@"
        "User-Agent: varnish-probe"
        "Connection: close";
    .expected_response = 200;
    .interval = 1s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

@@BACKENDS@@

# Only the app servers may purge: from these addresses, and with the secret.
acl purgers {
@@PURGERS@@
}

# A shard director, not round_robin: a fetch that failed is retried on another server
# (alt=bereq.retries in vcl_backend_fetch), which round_robin cannot promise when other fetches
# move its turn in between (seen: a retry sent to the killed server twice). The URL picks the
# server, so misses spread over them; only healthy ones are picked.
sub vcl_init {
    new apps = directors.shard();
@@DIRECTOR_BACKENDS@@
    apps.reconfigure();
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers || req.http.X-Purge-Secret != "@@PURGE_SECRET@@") {
            std.log("varnish purge refused from " + client.ip);
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        # Soft: the objects expire now but stay as stale copies for an outage (grace); while an
        # app server is healthy no request gets them (req.grace below), so the next reader
        # gets the new page.
        set req.http.X-Purged = xkey.softpurge(req.http.xkey-purge);
        std.log("varnish purge of " + req.http.X-Purged + " objects: " + req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    unset req.http.X-Purge-Secret;
    unset req.http.X-Stale-Copy;

    # The director itself (healthy while any of its servers is); vcl_backend_fetch picks one.
    set req.backend_hint = apps.backend(resolve=LAZY);

    # Varnish takes requests only from the TLS terminator in front of it (on the same machine),
    # which says how the reader came; the local stack has none, so Varnish stands in for it.
    # The app redirects plain HTTP to HTTPS and keys its own cache by the scheme: so does
    # vcl_hash below.
    if (!req.http.X-Forwarded-Proto) {
        set req.http.X-Forwarded-Proto = "https";
    }

    # A host that is not the site's: the app answers its 400 page, never stored.
    if (req.http.host !~ "@@HOST_PATTERN@@") {
        return (pass);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(@@ADMIN_PATH@@|preview/|healthz)") {
        return (pass);
    }
    # A signed-in editor sees the app's own answers; anyone else's cookies (a csrftoken left by
    # the admin's login page) do not change a public page.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)@@SESSION_COOKIE@@=") {
        return (pass);
    }
    unset req.http.Cookie;

    # Grace: while an app server is healthy, no stale copy is served (a purged page is fetched
    # anew for the next reader); while none is, the last good copy, for as long as it is kept.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.http.X-Forwarded-Proto);
    # The built-in vcl_hash adds the URL and the host.
}

sub vcl_backend_fetch {
    set bereq.backend = apps.backend(by=URL, alt=bereq.retries);
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    # A background refresh that failed: keep serving the stale copy.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Stored only when the app says a shared cache may: public, for everyone, and not a stale
    # page the app served during a database outage (Warning).
    if (!(beresp.status == 200 || beresp.status == 301 || beresp.status == 404
            || beresp.status == 410)
        || beresp.http.Cache-Control !~ "(?i)(public|s-maxage)"
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Set-Cookie
        || beresp.http.Warning
        || beresp.http.Vary == "*") {
        # Hit-for-miss: later requests for it go straight to the app, uncached.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Tagged pages are purged on every change that touches them, so they are kept for hours;
    # the rest live as long as the app's s-maxage. The Cache-Control the browser gets is the
    # app's, untouched.
    if (beresp.http.xkey) {
        set beresp.ttl = @@TAGGED_TTL@@;
    }
    # Every stored object also carries this key: PURGE with `xkey-purge: all-objects` empties
    # the cache (after a deploy that changes every page).
    if (beresp.http.xkey) {
        set beresp.http.xkey = beresp.http.xkey + " all-objects";
    } else {
        set beresp.http.xkey = "all-objects";
    }
    # How long a stale copy may be served while no app server is healthy.
    set beresp.grace = @@GRACE@@;
    return (deliver);
}

sub vcl_backend_error {
    # No answer (an app server killed, a refused connection): the next try goes to another
    # server (vcl_backend_fetch), for requests that can be repeated safely.
    if (bereq.retries < @@RETRIES@@ && (bereq.method == "GET" || bereq.method == "HEAD")) {
        std.log("varnish retry after a failed fetch from " + beresp.backend.name);
        return (retry);
    }
    # The site's own 503 page (templates/503.html, rendered when the stack starts).
    set beresp.status = 503;
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "30";
    set beresp.http.Cache-Control = "no-store";
    set beresp.http.X-Content-Type-Options = "nosniff";
    set beresp.http.X-Frame-Options = "DENY";
    set beresp.http.Referrer-Policy = "strict-origin-when-cross-origin";
    # The page carries its stylesheet inline (no app server can serve the file): only that
    # style, by its hash, and nothing else may load.
    set beresp.http.Content-Security-Policy = "default-src 'none'; style-src '@@OUTAGE_STYLE@@'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    synthetic(std.fileread("@@OUTAGE_PAGE@@"));
    return (deliver);
}

sub vcl_hit {
    if (obj.ttl <= 0s) {
        set req.http.X-Stale-Copy = "1";
    }
    # The built-in vcl_hit follows.
}

sub vcl_deliver {
    # A page the app tagged is current until purged, so a browser may keep it for the app's
    # max-age from now: the time it spent here is not counted against that (a stale copy served
    # in an outage keeps its true Age).
    if (obj.hits > 0 && resp.http.xkey != "all-objects" && !req.http.X-Stale-Copy) {
        set resp.http.Age = "0";
    }
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    unset resp.http.xkey;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}

sub vcl_synth {
    set resp.http.Cache-Control = "no-store";
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    synthetic(resp.reason + {"
"});
    return (deliver);
}

#!/usr/bin/env python3
"""Drive the real botocore paginators for ListDevEnvironmentSessions and
ListDevEnvironments and print the cases that botocore_test.go replays against
devsessions (each case names its operation).

The service is simulated inside botocore's own client (a before-call handler
answers each request, so botocore's parameter validation and paginator run
unchanged and nothing goes on the network). It behaves like
devsessionstest.Client: items sess-0000.. (sessions) or env-0000.. (dev
environments), tokens "tok-<offset>", 25 items per page when maxResults is
absent.

Each case is a resume chain: run the paginator with PaginationConfig, take
its resume_token, run again with it as StartingToken, until no token is left.

    python3 testdata/botocore_cases.py > testdata/botocore_cases.json
"""
import json
import os
import sys

import botocore
import botocore.session

DEFAULT_PAGE = 25


def make_client():
    os.environ.setdefault("AWS_BEARER_TOKEN_CODECATALYST", "unused")
    session = botocore.session.get_session()
    return session.create_client(
        "codecatalyst", region_name="us-west-2", endpoint_url="https://127.0.0.1:9")


class Service:
    def __init__(self, n, prefix):
        self.n = n
        self.prefix = prefix
        self.requests = []
        self.served = 0

    def __call__(self, params, **kwargs):
        raw = params.get("body") or b"{}"
        body = json.loads(raw) if isinstance(raw, (bytes, str)) else raw
        size = body.get("maxResults", DEFAULT_PAGE)
        token = body.get("nextToken")
        self.requests.append([size if "maxResults" in body else 0, token or ""])
        start = int(token[4:]) if token else 0
        end = min(start + size, self.n)
        self.served += end - start
        page = {"items": [{"id": "%s%04d" % (self.prefix, i)} for i in range(start, end)]}
        if end < self.n:
            page["nextToken"] = "tok-%d" % end
        return botocore.awsrequest.AWSResponse(None, 200, {}, None), page


# operation name -> (paginator name, item id prefix, request parameters)
OPERATIONS = {
    "ListDevEnvironmentSessions": ("list_dev_environment_sessions", "sess-", dict(
        spaceName="demo-space", projectName="demo-project",
        devEnvironmentId="11111111-2222-3333-4444-555555555555")),
    "ListDevEnvironments": ("list_dev_environments", "env-", dict(
        spaceName="demo-space", projectName="demo-project")),
}


def chain(client, op, n, page_size, max_items):
    name, prefix, params = OPERATIONS[op]
    event = "before-call.codecatalyst." + op
    runs = []
    token = None
    for _ in range(200):
        svc = Service(n, prefix)
        handler = lambda params, **kw: svc(params)
        client.meta.events.register_first(event, handler)
        try:
            cfg = {}
            if page_size:
                cfg["PageSize"] = page_size
            if max_items:
                cfg["MaxItems"] = max_items
            if token:
                cfg["StartingToken"] = token
            it = client.get_paginator(name).paginate(PaginationConfig=cfg, **params)
            # a page as [index of its first item, item count]; -1 when empty
            pages = [[int(p["items"][0]["id"][len(prefix):]) if p["items"] else -1, len(p["items"])]
                     for p in it]
            token = it.resume_token
        finally:
            client.meta.events.unregister(event, handler)
        runs.append({"pages": pages, "requests": svc.requests, "served": svc.served,
                     "resume_token": token or ""})
        if not token:
            return runs
    raise RuntimeError("no end")


def main():
    client = make_client()
    cases = []
    # page sizes within each model's bounds: 1..200 for sessions, 1..50 for
    # dev environments
    for op, page_sizes in (("ListDevEnvironmentSessions", (0, 1, 3, 10, 25, 200)),
                           ("ListDevEnvironments", (0, 1, 3, 10, 25, 50))):
        prefix = "" if op == "ListDevEnvironmentSessions" else op + "/"
        for n in (0, 1, 7, 20, 26, 55, 230):
            for page_size in page_sizes:
                for max_items in (0, 1, 5, 10, 15, 26, 100):
                    if n > 100 and (page_size in (1, 3) or max_items in (1, 5)):
                        continue  # long chains add nothing new
                    cases.append({"name": "%sn%d/ps%d/mi%d" % (prefix, n, page_size, max_items),
                                  "operation": op,
                                  "n": n, "page_size": page_size, "max_items": max_items,
                                  "runs": chain(client, op, n, page_size, max_items)})
    out = sys.stdout
    out.write('{"botocore": %s, "cases": [\n' % json.dumps(botocore.__version__))
    out.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
    out.write("\n]}\n")


if __name__ == "__main__":
    main()

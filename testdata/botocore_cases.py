#!/usr/bin/env python3
"""Drive the real botocore paginators for the ten CodeCatalyst operations
botocore pages and print the cases that botocore_test.go replays against
devsessions (each case names its operation).

The service is simulated inside botocore's own client (a before-call handler
answers each request, so botocore's parameter validation and paginator run
unchanged and nothing goes on the network). It behaves like
devsessionstest.Client: items whose key (id or name) is <prefix>0000..,
tokens "tok-<offset>", 25 items per page when maxResults is absent.

Each case is a resume chain: run the paginator with PaginationConfig, take
its resume_token, run again with it as StartingToken, until no token is left.
The "tokens" are how botocore reads odd StartingTokens: the first request's
nextToken and the pages delivered, or the error botocore fails with.

    python3 testdata/botocore_cases.py > testdata/botocore_cases.json

With --resume it reads [{"operation", "n", "page_size", "token"}] on stdin,
resumes each in botocore and prints, for each, the pages delivered (as in a
case's run) and the requests.
"""
import base64
import datetime
import json
import os
import re
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
    def __init__(self, n, prefix, key):
        self.n = n
        self.prefix = prefix
        self.key = key
        self.requests = []
        self.served = 0

    def __call__(self, params, **kwargs):
        raw = params.get("body") or b"{}"
        body = json.loads(raw) if isinstance(raw, (bytes, str)) else raw
        # ListWorkflows and ListWorkflowRuns send them in the query string
        query = params.get("query_string") or {}
        body = dict(body, **{k: (int(v) if k == "maxResults" else v) for k, v in query.items()})
        size = body.get("maxResults", DEFAULT_PAGE)
        token = body.get("nextToken")
        self.requests.append([size if "maxResults" in body else 0, token or ""])
        if token and not re.fullmatch(r"tok-[0-9]+", token):
            # not a token of this service: answer with nothing (the real
            # one refuses it); the request is what the "tokens" record
            return botocore.awsrequest.AWSResponse(None, 200, {}, None), {"items": []}
        start = int(token[4:]) if token else 0
        end = min(start + size, self.n)
        self.served += end - start
        page = {"items": [{self.key: "%s%04d" % (self.prefix, i)} for i in range(start, end)]}
        if end < self.n:
            page["nextToken"] = "tok-%d" % end
        return botocore.awsrequest.AWSResponse(None, 200, {}, None), page


SPACE, PROJECT = "demo-space", "demo-project"

# operation name -> (item id prefix, item key, request parameters, page sizes
# within the model's bounds; none for ListSpaces, which has no limit key)
OPERATIONS = {
    "ListAccessTokens": ("tok-", "id", {}, (0, 1, 3, 10)),
    "ListDevEnvironmentSessions": ("sess-", "id", dict(
        spaceName=SPACE, projectName=PROJECT,
        devEnvironmentId="11111111-2222-3333-4444-555555555555"), (0, 1, 3, 10, 25, 200)),
    "ListDevEnvironments": ("env-", "id", dict(spaceName=SPACE, projectName=PROJECT), (0, 1, 3, 10, 25, 50)),
    "ListEventLogs": ("event-", "id", dict(
        spaceName=SPACE, startTime=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
        endTime=datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)), (0, 1, 3, 10, 25, 250)),
    "ListProjects": ("project-", "name", dict(spaceName=SPACE), (0, 1, 3, 10, 25, 100)),
    "ListSourceRepositories": ("repo-", "id", dict(spaceName=SPACE, projectName=PROJECT), (0, 1, 3, 10, 25, 200)),
    "ListSourceRepositoryBranches": ("branch-", "name", dict(
        spaceName=SPACE, projectName=PROJECT, sourceRepositoryName="demo-repo"), (0, 1, 3, 10, 25, 50)),
    "ListSpaces": ("space-", "name", {}, (0,)),
    "ListWorkflowRuns": ("run-", "id", dict(spaceName=SPACE, projectName=PROJECT), (0, 1, 3, 10, 25, 50)),
    "ListWorkflows": ("workflow-", "id", dict(spaceName=SPACE, projectName=PROJECT), (0, 1, 3, 10, 25, 100)),
}

# The two operations first cross-checked keep the full grid; the others a
# smaller one that has every kind of case (empty, one page, cut pages, a cap
# inside and at the end of a page).
FULL = ("ListDevEnvironmentSessions", "ListDevEnvironments")


def snake(op):
    return "".join("_" + c.lower() if c.isupper() else c for c in op).lstrip("_")


def run(client, op, n, page_size, max_items, token):
    """One paginator run; returns its pages, requests, items served and
    resume token."""
    prefix, key, params, _ = OPERATIONS[op]
    event = "before-call.codecatalyst." + op
    svc = Service(n, prefix, key)
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
        it = client.get_paginator(snake(op)).paginate(PaginationConfig=cfg, **params)
        # a page as [index of its first item, item count]; -1 when empty
        pages = [[int(p["items"][0][key][len(prefix):]) if p["items"] else -1, len(p["items"])]
                 for p in it]
        token = it.resume_token
    finally:
        client.meta.events.unregister(event, handler)
    return {"pages": pages, "requests": svc.requests, "served": svc.served, "resume_token": token or ""}


def chain(client, op, n, page_size, max_items):
    runs = []
    token = None
    for _ in range(200):
        r = run(client, op, n, page_size, max_items, token)
        runs.append(r)
        token = r["resume_token"]
        if not token:
            return runs
    raise RuntimeError("no end")


def b64(text):
    return base64.b64encode(text.encode()).decode()


def non_canonical(token):
    """token with one unused bit of its last base64 character set."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    i = len(token.rstrip("=")) - 1
    return token[:i] + alphabet[alphabet.index(token[i]) + 1] + token[i + 1:]


# Odd StartingTokens, by name: how botocore reads each decides how we do.
ODD_TOKENS = {
    "canonical base64": b64('{"nextToken": "tok-20"}'),
    "non-canonical base64": non_canonical(b64('{"nextToken": "tok-20"}')),
    "non-canonical base64 inside a page": non_canonical(b64('{"nextToken": "tok-10", "boto_truncate_amount": 3}')),
    "base64 of null": b64("null"),
    "base64 of a JSON string": b64('"tok-20"'),
    "base64 of a JSON number": b64('12'),
    "base64 of a JSON array": b64('[]'),
    "base64 of text that is not JSON": b64('tok-20'),
    "legacy form": "tok-10___3",
    "legacy amount with a sign": "tok-10___+3",
    "legacy amount in white space": "tok-10___ 3\t",
    "legacy amount with an underscore": "tok-10___0_3",
    "base64 with a space inside": b64('{"nextToken": "tok-10", "boto_truncate_amount": 3}')[:8] + " " + b64('{"nextToken": "tok-10", "boto_truncate_amount": 3}')[8:],
    "base64 with a character outside the alphabet": b64('{"nextToken": "tok-10", "boto_truncate_amount": 3}')[:8] + "!" + b64('{"nextToken": "tok-10", "boto_truncate_amount": 3}')[8:],
    "base64 in white space": "\t" + b64('{"nextToken": "tok-20"}') + "\r\n",
    "raw service token with a leading space": " tok-20",
    "raw service token with a trailing space": "tok-20 ",
    "a null boto_truncate_amount": b64('{"nextToken": "tok-10", "boto_truncate_amount": null}'),
    "a repeated key": b64('{"nextToken": "tok-5", "nextToken": "tok-10"}'),
    "raw service token": "tok-20",
}


def odd_tokens(client):
    out = []
    for name, token in ODD_TOKENS.items():
        try:
            r = run(client, "ListDevEnvironmentSessions", 26, 0, 0, token)
        except Exception as e:  # botocore cannot read the token
            out.append({"name": name, "token": token, "error": type(e).__name__})
            continue
        first = r["requests"][0][1] if r["requests"] else ""
        out.append({"name": name, "token": token, "first_request_token": first, "pages": r["pages"]})
    return out


def resume(client):
    out = []
    for q in json.load(sys.stdin):
        out.append(run(client, q["operation"], q["n"], q["page_size"], 0, q["token"]))
    json.dump(out, sys.stdout)


def main():
    client = make_client()
    if sys.argv[1:] == ["--resume"]:
        return resume(client)
    cases = []
    for op, (_, _, _, page_sizes) in OPERATIONS.items():
        full = op in FULL
        prefix = "" if op == "ListDevEnvironmentSessions" else op + "/"
        for n in (0, 1, 7, 20, 26, 55, 230) if full else (0, 7, 26, 55):
            for page_size in page_sizes:
                for max_items in (0, 1, 5, 10, 15, 26, 100) if full else (0, 5, 26):
                    if n > 100 and (page_size in (1, 3) or max_items in (1, 5)):
                        continue  # long chains add nothing new
                    cases.append({"name": "%sn%d/ps%d/mi%d" % (prefix, n, page_size, max_items),
                                  "operation": op,
                                  "n": n, "page_size": page_size, "max_items": max_items,
                                  "runs": chain(client, op, n, page_size, max_items)})
    out = sys.stdout
    out.write('{"botocore": %s, "tokens": %s, "cases": [\n' % (
        json.dumps(botocore.__version__), json.dumps(odd_tokens(client), separators=(",", ":"))))
    out.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
    out.write("\n]}\n")


if __name__ == "__main__":
    main()

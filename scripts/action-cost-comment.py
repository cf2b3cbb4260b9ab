#!/usr/bin/env python3
"""Creates or updates the one sfn-lint cost comment on a pull request (the GitHub Action's
`cost-comment` input). Standard library only, so it runs on any runner with Python 3.

    SFN_LINT_TOKEN=... python3 scripts/action-cost-comment.py COMMENT.md

Reads GITHUB_API_URL (default https://api.github.com), GITHUB_REPOSITORY (owner/name) and
GITHUB_EVENT_PATH (the pull_request event, for its number). The comment is found by the marker
line `sfn-lint cost` writes first, so a later run edits it instead of adding another.
Prints what it did; exits 1 with the reason when GitHub refuses.
"""

import json
import os
import sys
import urllib.error
import urllib.request

MARKER = "<!-- sfn-lint cost -->"
# GitHub refuses comment bodies over 65,536 characters.
MAX_BODY = 65000


def request(method, url, token, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Accept", "application/vnd.github+json")
    req.add_header("X-GitHub-Api-Version", "2022-11-28")
    req.add_header("User-Agent", "sfn-lint-action")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"null")


def pull_number(event_path):
    with open(event_path, encoding="utf-8") as f:
        event = json.load(f)
    pr = event.get("pull_request") or {}
    number = pr.get("number") or event.get("number")
    if not isinstance(number, int):
        raise SystemExit(f"{event_path}: not a pull_request event (no pull request number)")
    return number


def existing_comment(api, repo, number, token):
    """The id of the comment that carries the marker, or None."""
    page = 1
    while True:
        url = f"{api}/repos/{repo}/issues/{number}/comments?per_page=100&page={page}"
        comments = request("GET", url, token)
        for c in comments:
            if (c.get("body") or "").startswith(MARKER):
                return c["id"]
        if len(comments) < 100:
            return None
        page += 1


def main(argv):
    if len(argv) != 2:
        raise SystemExit("usage: action-cost-comment.py COMMENT.md")
    token = os.environ.get("SFN_LINT_TOKEN", "")
    if not token:
        raise SystemExit("SFN_LINT_TOKEN is empty: give the action a `github-token`")
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repo = os.environ["GITHUB_REPOSITORY"]
    number = pull_number(os.environ["GITHUB_EVENT_PATH"])
    with open(argv[1], encoding="utf-8") as f:
        body = f.read()
    if not body.startswith(MARKER):
        body = f"{MARKER}\n{body}"
    if len(body) > MAX_BODY:
        body = body[:MAX_BODY] + "\n\n… (cut: the full report is in the job summary)\n"
    try:
        found = existing_comment(api, repo, number, token)
        if found is None:
            made = request("POST", f"{api}/repos/{repo}/issues/{number}/comments", token, {"body": body})
            print(f"sfn-lint: created cost comment {made['id']} on #{number}")
        else:
            request("PATCH", f"{api}/repos/{repo}/issues/comments/{found}", token, {"body": body})
            print(f"sfn-lint: updated cost comment {found} on #{number}")
    except urllib.error.HTTPError as e:
        detail = e.read().decode(errors="replace")[:500]
        print(f"sfn-lint: GitHub refused the comment ({e.code} {e.reason}): {detail}", file=sys.stderr)
        return 1
    except urllib.error.URLError as e:
        print(f"sfn-lint: could not reach {api}: {e.reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

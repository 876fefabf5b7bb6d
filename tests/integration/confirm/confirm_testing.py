"""What the confirm link tests share: an API call that must succeed, and a client's browser on the confirm
link's pages (no API token; the Confirm button posts an empty form)."""
import urllib.error
import urllib.request


def ok(service, method, path, body=None):
    """The answer of an API call that must succeed (200 or 201)."""
    status, answer = service.request(method, path, body)
    assert status in (200, 201), (method, path, status, answer)
    return answer


def open_page(service, method, path):
    """Returns (status, headers, html)."""
    request = urllib.request.Request(service.url + path, method=method, data=b"" if method == "POST" else None,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()

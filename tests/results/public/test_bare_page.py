"""The bare page the results benchmark compares with: off by default, N bytes when on."""

import pytest


def test_bare_page_is_a_404_unless_benchmarks_are_on(client, settings):
    settings.BENCH_ENDPOINTS = False
    assert client.get("/bench/bare-page/", {"size": "100"}).status_code == 404


@pytest.mark.parametrize(("size", "status", "length"), [("2000", 200, 2000), ("x", 400, None)])
def test_bare_page_answers_the_bytes_asked_for(client, settings, size, status, length):
    settings.BENCH_ENDPOINTS = True
    response = client.get("/bench/bare-page/", {"size": size})
    assert (response.status_code, len(response.content) if length else None) == (status, length)

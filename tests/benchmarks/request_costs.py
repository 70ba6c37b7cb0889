"""What each saving of the Elasticsearch request is worth, A/B on the same index and mix.

    python -m tests.benchmarks.request_costs --rounds 3

Run after `make bench` (or any run that left the catalogue and its index): the variants take
turns on every request of the benchmark's mix, so a busy machine slows them alike.

- Text requests: the layer as it is (one request, typo tolerance and the suggester in
  it), the same without the suggester, and the words as written first with typo tolerance
  and the suggester asked for only when they find fewer than `SUGGEST_BELOW` POCs (a second
  request then).
- Requests without words: one request (as before), and the layer as it is (hits and a
  size-0 search for the counts in one msearch), with the request cache emptied before
  each call and with the counts already cached.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showcase.settings.dev")
django.setup()

from search.connection import alias_name, get_client  # noqa: E402 - Django is set up first
from search.elasticsearch_backend import (  # noqa: E402
    SUGGEST_BELOW,
    ElasticsearchCatalogueSearch,
    build_request_body,
    result_from_response,
)
from search.types import SearchRequest  # noqa: E402
from tests.benchmarks.catalogue_search import Timing, request_mix  # noqa: E402

Variant = Callable[[SearchRequest], object]


def send(request: SearchRequest, body: dict[str, Any]) -> dict[str, Any]:
    return get_client().search(index=alias_name(), body=body).body


def one_request(request: SearchRequest) -> object:
    return result_from_response(request, send(request, build_request_body(request)))


def without_suggester(request: SearchRequest) -> object:
    body = build_request_body(request)
    body.pop("suggest", None)
    return result_from_response(request, send(request, body))


def words_as_written(body: dict[str, Any]) -> dict[str, Any]:
    """The body without its typo-tolerant clause nor its suggester."""
    exact = copy.deepcopy(body)
    exact.pop("suggest", None)
    either = exact["query"]["bool"]["must"][0]["bool"]["should"]
    exact["query"]["bool"]["must"] = [either[0]]
    return exact


def forgiving_when_little_found(request: SearchRequest) -> object:
    body = build_request_body(request)
    response = send(request, words_as_written(body))
    if response["hits"]["total"]["value"] < SUGGEST_BELOW:
        response = send(request, body)
    return result_from_response(request, response)


def empty_request_cache() -> None:
    get_client().indices.clear_cache(index=alias_name(), request=True)


def measure(
    requests: list[SearchRequest],
    variants: dict[str, Variant],
    rounds: int,
    before: dict[str, Callable[[], None]],
) -> dict[str, Timing]:
    timings = {name: Timing(name) for name in variants}
    for round_number in range(rounds + 1):
        for request in requests:
            for name, variant in variants.items():
                if name in before:
                    before[name]()
                started = time.perf_counter()
                variant(request)
                if round_number:  # the first round warms up
                    timings[name].samples.append(time.perf_counter() - started)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2020)
    options = parser.parse_args(argv)
    mix = request_mix(200, options.seed)
    layer = ElasticsearchCatalogueSearch()
    texts = [request for request in mix if request.q]
    tables = {
        f"Text requests ({len(texts)})": measure(
            texts,
            {
                "one request, typos and suggestion (kept)": layer.search,
                "one request, no suggester": without_suggester,
                "words as written first, typos and suggestion only when little is found": (
                    forgiving_when_little_found
                ),
            },
            options.rounds,
            before={},
        ),
    }
    bare = [request for request in mix if not request.q]
    tables[f"Requests without words ({len(bare)})"] = measure(
        bare,
        {
            "one request (before)": one_request,
            "hits + size-0 counts in one msearch, cache emptied (now, first visit)": layer.search,
            "hits + size-0 counts in one msearch, counts cached (now, again)": layer.search,
        },
        options.rounds,
        before={
            "hits + size-0 counts in one msearch, cache emptied (now, first visit)": (
                empty_request_cache
            ),
        },
    )
    first_totals = [
        send(request, {**words_as_written(build_request_body(request)), "size": 0})
        for request in texts
    ]
    again = sum(total["hits"]["total"]["value"] < SUGGEST_BELOW for total in first_totals)
    print(f"{again} of {len(texts)} text requests found too little as written: asked twice.")
    for title, timings in tables.items():
        print(f"\n{title}, {options.rounds} rounds\n\n| Variant | p50 (ms) | p95 (ms) |")
        print("|---|---:|---:|")
        for name, timing in timings.items():
            print(f"| {name} | {timing.p50:.1f} | {timing.p95:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

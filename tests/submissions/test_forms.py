"""The small rules of the form, one by one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from poc_catalogue.submissions.forms import normalise_tags, validate_video_url


def test_tags_are_trimmed_lowercased_and_deduplicated():
    assert sorted(normalise_tags(" Mobilier  Urbain, jeu,,MOBILIER URBAIN , Nature ")) == [
        "jeu",
        "mobilier urbain",
        "nature",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=abc",
        "https://youtu.be/abc",
        "https://vimeo.com/123",
        "https://www.dailymotion.com/video/x8",
    ],
)
def test_video_hosts_accepted(url):
    validate_video_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.youtube.com/watch?v=abc",
        "https://youtube.com.evil.example/watch",
        "https://www.youtube.com:8443/watch",
        "https://user@evil.example/?www.youtube.com",
        "javascript:alert(1)",
    ],
)
def test_other_video_links_refused(url):
    with pytest.raises(ValidationError):
        validate_video_url(url)

"""Factories for good practices, interviews and guides."""

from datetime import date

import factory

from conet.practices.models import GoodPractice, Guide, Interview, InterviewAnswer, Status


class GoodPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoodPractice

    source_key = factory.Sequence(lambda n: f"test-{n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")
    name = factory.Sequence(lambda n: f"Practice {n}")
    city_name = "Gijón"
    country = "Spain"
    country_code = "ES"
    population = 270_000
    description = "A short description"
    summary = "What it is"
    status = Status.PUBLISHED


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    person_name = factory.Sequence(lambda n: f"Person {n}")
    person_role = "Mayor"
    interviewed_on = date(2010, 5, 1)
    consent_to_publish = True
    status = Status.PUBLISHED


class InterviewAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewAnswer

    interview = factory.SubFactory(InterviewFactory)
    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = "An answer."


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guide

    slug = factory.Sequence(lambda n: f"guide-{n}")
    title = "Guide to Social Cohesion"
    introduction = "Why this guide."
    status = Status.PUBLISHED

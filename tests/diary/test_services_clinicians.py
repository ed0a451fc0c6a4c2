"""Following services: invitations, accept, revoke, leave, and the security log."""

from __future__ import annotations

import pytest

from diary.models import Follow, Invitation, SecurityEvent
from diary.services.clinicians import (
    InvitationNotFound,
    NotAClinician,
    follow_leave,
    follow_record_views,
    follow_revoke,
    invitation_accept,
    invitation_create,
    invitation_token_digest,
)
from tests.factories import ClinicianFactory, ContactFactory, FollowFactory

pytestmark = pytest.mark.django_db


def test_only_the_hash_of_the_token_is_stored(user):
    created = invitation_create(contact=ContactFactory(user=user))

    stored = Invitation.objects.get()
    assert stored.token_hash == invitation_token_digest(created.token)
    assert created.token not in {stored.token_hash, str(stored.pk)}


def test_a_patient_account_cannot_accept(user, other_user):
    created = invitation_create(contact=ContactFactory(user=user))
    with pytest.raises(NotAClinician):
        invitation_accept(token=created.token, clinician=other_user)
    assert Invitation.objects.get().used_at is None


def test_a_clinician_cannot_follow_themselves():
    clinician = ClinicianFactory()
    created = invitation_create(contact=ContactFactory(user=clinician))
    with pytest.raises(InvitationNotFound):
        invitation_accept(token=created.token, clinician=clinician)
    assert not Follow.objects.exists()


def test_revoking_and_leaving_twice_log_once(user):
    follow = FollowFactory(patient=user)
    follow_revoke(follow=follow)
    follow_revoke(follow=follow)
    other = FollowFactory(patient=user)
    follow_leave(follow=other)
    follow_leave(follow=other)

    kinds = list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert sorted(kinds) == ["clinician_left", "clinician_revoked"]


def test_list_views_are_logged_for_live_follows_only(user, other_user):
    clinician = ClinicianFactory()
    FollowFactory(patient=user, clinician=clinician)
    ended = FollowFactory(patient=other_user, clinician=clinician)
    follow_revoke(follow=ended)

    follow_record_views(clinician=clinician, what="patient list", ip="10.0.0.1")

    event = SecurityEvent.objects.get(user=user, kind="clinician_viewed")
    assert event.detail == f"{clinician.email}: patient list"
    assert event.ip == "10.0.0.1" and event.at is not None
    assert not SecurityEvent.objects.filter(user=other_user, kind="clinician_viewed").exists()

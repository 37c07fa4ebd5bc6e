"""The words of the committee pages that are looked up by key: refusal codes, notices, kinds
of meeting, decisions, member roles and verification tasks (English, marked for the
catalogues and translated when the page is rendered)."""

from __future__ import annotations

from truceline.http.i18n import N_

#: What each refusal code means to the reader (``CommitteeError.code``).
ERROR_MESSAGES: dict[str, str] = {
    "unknown_incident": N_("No incident or linked report has this code."),
    "already_escalated": N_("This incident is already escalated to the national level."),
    "not_locally_resolvable": N_(
        "This incident is already under joint verification: it can no longer be resolved "
        "locally. Escalate it instead."
    ),
    "verification_closed": N_("The verification of this incident is already closed."),
    "missing": N_("This field is required."),
    "not_a_member": N_(
        "Only members of this committee are listed as attending; count the others below."
    ),
    "unknown_meeting": N_("This committee has no such meeting."),
    "not_ours": N_("This committee has no such meeting."),
    "not_an_elder": N_("This account is not an elder's account."),
    "unknown_district": N_("Choose a border district."),
    "refused": N_("You may not do this for this committee."),
    "invalid": N_("Check this field."),
}
NOTICES: dict[str, str] = {
    "meeting": N_("The meeting has been recorded."),
    "resolved": N_("The case is resolved locally; its verification is closed."),
    "escalated": N_("The case is escalated to verification; the mediators are notified."),
    "follow-up": N_("The follow-up is marked done."),
    "member": N_("The member has been added; their identity is sealed."),
}
MEETING_KINDS = {"jirga": N_("Jirga"), "meeting": N_("Committee meeting")}
DECISION_LABELS = {"resolved_locally": N_("Resolved locally"), "escalated": N_("Escalated")}
MEMBER_ROLES = {
    "elder": N_("Elder"),
    "community_leader": N_("Community leader"),
    "womens_representative": N_("Women's representative"),
    "local_official": N_("Local official"),
}
TASK_LABELS = {
    "first_assessment": N_("First assessment"),
    "site_visit": N_("Site visit"),
    "interview": N_("Interview"),
    "evidence_request": N_("Evidence request"),
    "right_of_reply": N_("Right of reply"),
}

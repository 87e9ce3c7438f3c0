"""Pages of the applications app, by who they are for (see each module)."""

from .offers import (
    MyPlaceView,
    NextGroupView,
    OfferRespondView,
)
from .private_link import (
    ApplicationDataExportView,
    ApplicationEditView,
    ApplicationEraseView,
    ApplicationPrivateView,
    ApplicationWithdrawView,
)
from .proposal import ProposalOffersView, ProposeGroupsView
from .public import (
    ApplyThanksView,
    ApplyView,
    CurrentProgrammeView,
    InterestThanksView,
    InterestView,
    PrivacyView,
    ProgrammeDetailView,
    ProgrammeListView,
    ProgrammePreviewView,
)
from .selection import (
    CohortActionView,
    CohortSelectionView,
    DecideView,
    DecisionEmailsView,
    FromWaitlistView,
    NextCohortView,
    ProgrammeSelectionView,
    PromoteView,
    WaitlistMoveView,
)

__all__ = [
    "ApplicationDataExportView",
    "ApplicationEditView",
    "ApplicationEraseView",
    "ApplicationPrivateView",
    "ApplicationWithdrawView",
    "ApplyThanksView",
    "ApplyView",
    "CohortActionView",
    "CohortSelectionView",
    "CurrentProgrammeView",
    "DecideView",
    "DecisionEmailsView",
    "FromWaitlistView",
    "InterestThanksView",
    "InterestView",
    "MyPlaceView",
    "NextCohortView",
    "NextGroupView",
    "OfferRespondView",
    "PrivacyView",
    "ProgrammeDetailView",
    "ProgrammeListView",
    "ProgrammePreviewView",
    "ProgrammeSelectionView",
    "PromoteView",
    "ProposalOffersView",
    "ProposeGroupsView",
    "WaitlistMoveView",
]

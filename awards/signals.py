"""What awards tells the apps that read it (public), without importing them."""

from django.dispatch import Signal

# Sent inside award_list_publish's transaction, with `award_list` and `actor`: a receiver that fails
# leaves nothing published.
award_list_published = Signal()

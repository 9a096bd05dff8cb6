"""The activities app's pages, one module per area (activities/urls.py names them):
pages (the list, an activity's page, signing up and cancelling a sign-up, the .ics
file, the community-wide link), organise (creating and editing an activity, the
organiser's roster, check-in, 代录 sign-up, sign-in sheet and recap), changes
(cancelling an activity with a reason) and tasks (volunteer tasks, shifts and hours);
common holds what several of them share."""
